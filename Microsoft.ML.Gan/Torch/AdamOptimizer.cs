using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Torch;

/// <summary>
/// Adam (Kingma and Ba 2015) computed exactly as TorchSharp's and PyTorch's (no weight decay, no AMSGrad), on the moments
/// that a TorchSharp <see cref="Adam"/> keeps and saves.
/// </summary>
/// <remarks>
/// TorchSharp's <c>Adam.step</c> passes β₁, 1 − β₁, ε and the step size to libtorch as temporary scalars; a garbage
/// collection on another thread can free one while libtorch reads it (see <see cref="ScalarArguments"/>). This step owns
/// every scalar until the call returns. The moments stay in TorchSharp's optimizer, so the saved state keeps its format.
/// </remarks>
internal sealed class AdamOptimizer : IDisposable
{
    private readonly Adam _moments;
    private readonly Parameter[] _parameters;
    private readonly Adam.State[] _states;
    private readonly double _beta1;
    private readonly double _beta2;
    private readonly double _epsilon;

    /// <summary>Call outside any dispose scope: the moments outlive it.</summary>
    public AdamOptimizer(IEnumerable<Parameter> parameters, double learningRate, double beta1, double beta2, double epsilon = 1e-8)
    {
        _parameters = parameters.ToArray();
        _moments = optim.Adam(_parameters, learningRate, beta1, beta2, epsilon);
        // state_dict lists the per-parameter states in parameter order; load_state_dict reads into these same objects.
        _states = _moments.state_dict().State.Cast<Adam.State>().ToArray();
        _beta1 = beta1;
        _beta2 = beta2;
        _epsilon = epsilon;
    }

    /// <summary>The step size; rollbacks lower it.</summary>
    public double LearningRate
    {
        get => ((optim.ILearningRateController)_moments.ParamGroups.First()).LearningRate;
        set
        {
            foreach (optim.ILearningRateController group in _moments.ParamGroups)
            {
                group.LearningRate = value;
            }
        }
    }

    public void ZeroGrad() => _moments.zero_grad();

    /// <summary>One update of every parameter that has a gradient.</summary>
    public void Step()
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using Scalar beta1 = _beta1.ToScalar(), gradientShare = (1 - _beta1).ToScalar();
        using Scalar beta2 = _beta2.ToScalar(), squareShare = (1 - _beta2).ToScalar();
        using Scalar epsilon = _epsilon.ToScalar();
        double learningRate = LearningRate;
        for (int i = 0; i < _parameters.Length; i++)
        {
            Tensor? gradient = _parameters[i].grad;
            if (gradient is null)
            {
                continue;
            }

            Adam.State state = _states[i];
            state.step++;
            double firstCorrection = 1 - Math.Pow(_beta1, state.step);
            double secondCorrection = 1 - Math.Pow(_beta2, state.step);
            using Scalar secondCorrectionRoot = Math.Sqrt(secondCorrection).ToScalar();
            using Scalar descent = (-learningRate / firstCorrection).ToScalar();

            state.exp_avg.mul_(beta1).add_(gradient, gradientShare);
            state.exp_avg_sq.mul_(beta2).addcmul_(gradient, gradient, squareShare);
            Tensor denominator = state.exp_avg_sq.sqrt().div_(secondCorrectionRoot).add_(epsilon, ScalarArguments.One);
            _parameters[i].addcdiv_(state.exp_avg, denominator, descent);
        }
    }

    public void Save(BinaryWriter writer) => _moments.save_state_dict(writer);

    public void Load(BinaryReader reader) => _moments.load_state_dict(reader);

    public void Dispose() => _moments.Dispose();
}
