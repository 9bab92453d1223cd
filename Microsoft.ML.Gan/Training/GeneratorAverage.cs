using System;
using System.IO;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Training;

/// <summary>
/// An exponential moving average of the generator's parameters (EMA, as in ProGAN and StyleGAN): after update t,
/// average ← β_t·average + (1 − β_t)·weights, with β_t ramping linearly from 0 to the decay over the warm-up. Buffers
/// (batch-norm statistics) are not averaged: the generator's own are used with the average.
/// </summary>
internal sealed class GeneratorAverage : IDisposable
{
    private readonly TorchSharp.Modules.Parameter[] _parameters;
    private readonly Tensor[] _averages;
    private readonly double _decay;
    private readonly int _warmupSteps;

    /// <summary>Starts from the generator's current weights. Call outside any dispose scope: the averages outlive it.</summary>
    public GeneratorAverage(nn.Module generator, double decay, int warmupSteps)
    {
        _parameters = generator.parameters().ToArray();
        _decay = decay;
        _warmupSteps = warmupSteps;
        using (no_grad())
        {
            _averages = _parameters.Select(p => p.detach().clone().DetachFromDisposeScope()).ToArray();
        }
    }

    /// <summary>Folds the weights after generator update <paramref name="step"/> (from 1) into the average.</summary>
    public void Update(int step)
    {
        double beta = _warmupSteps == 0 ? _decay : _decay * Math.Min(1.0, step / (double)_warmupSteps);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using Scalar keep = beta.ToScalar(), take = (1 - beta).ToScalar();
        for (int i = 0; i < _averages.Length; i++)
        {
            _averages[i].mul_(keep).add_(_parameters[i], take);
        }
    }

    /// <summary>Overwrites the generator's parameters with the average.</summary>
    public void CopyIntoGenerator()
    {
        using var noGrad = no_grad();
        for (int i = 0; i < _averages.Length; i++)
        {
            _parameters[i].copy_(_averages[i]);
        }
    }

    public byte[] Save()
    {
        var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer))
        {
            foreach (Tensor average in _averages)
            {
                average.Save(writer);
            }
        }
        return buffer.ToArray();
    }

    public void Load(byte[] bytes)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes));
        foreach (Tensor average in _averages)
        {
            average.Load(reader);
        }
    }

    public void Dispose()
    {
        foreach (Tensor average in _averages)
        {
            average.Dispose();
        }
    }
}
