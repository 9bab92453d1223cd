using Microsoft.ML.Gan.Torch;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Training;

/// <summary>
/// Hinge loss (Lim and Ye 2017; Miyato et al. 2018):
/// D minimises mean(relu(1 − real)) + mean(relu(1 + fake)); G minimises −mean(fake).
/// </summary>
internal sealed class HingeLoss : AdversarialLoss
{
    public override Tensor DiscriminatorLoss(Tensor realScores, Tensor fakeScores)
    {
        using var negated = realScores.neg();
        using var realMargin = negated.Plus(1.0);            // 1 − real
        using var fakeMargin = fakeScores.Plus(1.0);         // 1 + fake
        using var realHinge = nn.functional.relu(realMargin);
        using var fakeHinge = nn.functional.relu(fakeMargin);
        using var realTerm = realHinge.mean();
        using var fakeTerm = fakeHinge.mean();
        return realTerm.Plus(fakeTerm);
    }

    /// <summary>The hinge's margins sit at +1 (real) and −1 (fake): positive means "real".</summary>
    public override double? DecisionThreshold => 0;

    public override Tensor GeneratorLoss(Tensor fakeScores)
    {
        using var mean = fakeScores.mean();
        return mean.neg();
    }
}
