using Microsoft.ML.Gan.Torch;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Training;

/// <summary>
/// The practical original GAN (Goodfellow et al. 2014, §3), σ the logistic function:
/// D minimises BCE(real, 1) + BCE(fake, 0) = mean(softplus(−real)) + mean(softplus(fake));
/// G minimises −mean(log σ(fake)) = mean(softplus(−fake)) = BCE(fake, 1).
/// </summary>
internal sealed class NonSaturatingLoss : AdversarialLoss
{
    public override Tensor DiscriminatorLoss(Tensor realScores, Tensor fakeScores)
        => BinaryCrossEntropyDiscriminatorLoss(realScores, fakeScores);

    public override Tensor GeneratorLoss(Tensor fakeScores)
    {
        // softplus(−x) = −log σ(x); TorchSharp's softplus converts its beta and threshold to scalars it does not keep
        // alive (see ScalarArguments).
        using var logSigmoid = nn.functional.logsigmoid(fakeScores);
        using var mean = logSigmoid.mean();
        return mean.neg();
    }

    public override Tensor ReportedScore(Tensor scores) => ReportedProbability(scores);

    /// <summary>Scores are logits: positive means "real".</summary>
    public override double? DecisionThreshold => 0;
}
