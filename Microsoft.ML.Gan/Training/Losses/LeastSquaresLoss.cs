using Microsoft.ML.Gan.Torch;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Training;

/// <summary>
/// LSGAN (Mao et al. 2017) with targets 1 (real) and 0 (fake) on the raw scores:
/// D minimises ½·mean((real − 1)²) + ½·mean(fake²); G minimises ½·mean((fake − 1)²).
/// </summary>
internal sealed class LeastSquaresLoss : AdversarialLoss
{
    public override Tensor DiscriminatorLoss(Tensor realScores, Tensor fakeScores)
    {
        using var realError = realScores.Minus(1.0);
        using var realSquared = realError.square();
        using var fakeSquared = fakeScores.square();
        using var realTerm = realSquared.mean();
        using var fakeTerm = fakeSquared.mean();
        using var sum = realTerm.Plus(fakeTerm);
        return sum.Times(0.5);
    }

    /// <summary>Halfway between the targets 0 (fake) and 1 (real).</summary>
    public override double? DecisionThreshold => 0.5;

    public override Tensor GeneratorLoss(Tensor fakeScores)
    {
        using var error = fakeScores.Minus(1.0);
        using var squared = error.square();
        using var mean = squared.mean();
        return mean.Times(0.5);
    }
}
