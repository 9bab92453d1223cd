using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Training;

/// <summary>
/// The original GAN objective as written (Goodfellow et al. 2014), σ the logistic function:
/// D minimises −mean(log σ(real)) − mean(log(1 − σ(fake))) = BCE(real, 1) + BCE(fake, 0);
/// G minimises mean(log(1 − σ(fake))) = −mean(softplus(fake)). G's gradient vanishes when D rejects fakes confidently.
/// </summary>
internal sealed class MinimaxLoss : AdversarialLoss
{
    public override Tensor DiscriminatorLoss(Tensor realScores, Tensor fakeScores)
        => BinaryCrossEntropyDiscriminatorLoss(realScores, fakeScores);

    public override Tensor GeneratorLoss(Tensor fakeScores)
    {
        // log(1 − σ(x)) = log σ(−x), stable for large |x|.
        using var negated = fakeScores.neg();
        using var logSigmoid = nn.functional.logsigmoid(negated);
        return logSigmoid.mean();
    }

    public override Tensor ReportedScore(Tensor scores) => ReportedProbability(scores);

    /// <summary>Scores are logits: positive means "real".</summary>
    public override double? DecisionThreshold => 0;
}
