using System;
using Microsoft.ML.Gan.Torch;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Training;

/// <summary>
/// A (discriminator loss, generator loss) pair on D's raw scores (logits), chosen by <see cref="GanLoss"/>.
/// Both are minimised. Scores have shape [N] or [N, 1]; every result is a scalar mean over the batch.
/// </summary>
/// <remarks>
/// Pure functions of the scores: no optimiser, no networks. Terms that need more than the scores are
/// <see cref="Regularizer"/>s (WGAN-GP's <see cref="GradientPenalty"/>, GAN-QP's <see cref="QuadraticPotential"/>),
/// which <see cref="GanTrainer.Options.Regularizers"/> adds for those losses; weight clipping is the loop's.
/// </remarks>
internal abstract class AdversarialLoss
{
    /// <summary>The loss D minimises, from its scores on real images and on generated ones.</summary>
    public abstract Tensor DiscriminatorLoss(Tensor realScores, Tensor fakeScores);

    /// <summary>The loss G minimises, from D's scores on generated images (the real term is constant for G).</summary>
    public abstract Tensor GeneratorLoss(Tensor fakeScores);

    /// <summary>The mean score the history reports as D(x) or D(G(z)), detached: the raw score, for losses that read it as such.</summary>
    public virtual Tensor ReportedScore(Tensor scores) => scores.detach().mean();

    /// <summary>
    /// The score above which D calls an image real, or null for losses whose scores have no such point (Wasserstein's and
    /// GAN-QP's critics are defined up to a constant). ADA's overfitting heuristic needs it.
    /// </summary>
    public virtual double? DecisionThreshold => null;

    public static AdversarialLoss Create(GanLoss loss) => loss switch
    {
        GanLoss.Minimax => new MinimaxLoss(),
        GanLoss.NonSaturating => new NonSaturatingLoss(),
        GanLoss.Wasserstein => new WassersteinLoss(),
        GanLoss.WassersteinGradientPenalty => new WassersteinLoss(),
        GanLoss.Hinge => new HingeLoss(),
        GanLoss.LeastSquares => new LeastSquaresLoss(),
        // GAN-QP's score terms are Wasserstein's; its quadratic potential needs the images, so it is a regularizer.
        GanLoss.GanQp => new WassersteinLoss(),
        _ => throw new ArgumentOutOfRangeException(nameof(loss), loss, "Unknown GAN loss."),
    };

    /// <summary>σ(scores), so that a logit loss's D(x) and D(G(z)) read as probabilities, as in the original paper.</summary>
    protected static Tensor ReportedProbability(Tensor scores) => sigmoid(scores.detach()).mean();

    /// <summary>BCE(real, 1) + BCE(fake, 0) on logits = mean(softplus(−real)) + mean(softplus(fake)).</summary>
    protected static Tensor BinaryCrossEntropyDiscriminatorLoss(Tensor realScores, Tensor fakeScores)
    {
        using var ones = ones_like(realScores);
        using var zeros = zeros_like(fakeScores);
        using var realTerm = nn.functional.binary_cross_entropy_with_logits(realScores, ones);
        using var fakeTerm = nn.functional.binary_cross_entropy_with_logits(fakeScores, zeros);
        return realTerm.Plus(fakeTerm);
    }
}
