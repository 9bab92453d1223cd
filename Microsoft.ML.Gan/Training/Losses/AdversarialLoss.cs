using System;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Training;

/// <summary>
/// A (discriminator loss, generator loss) pair on D's raw scores (logits), chosen by <see cref="GanLoss"/>.
/// Both are minimised. Scores have shape [N] or [N, 1]; every result is a scalar mean over the batch.
/// </summary>
/// <remarks>
/// Pure functions of the scores: no optimiser, no networks. The gradient penalty of WGAN-GP and weight clipping are
/// applied by the training loop (<see cref="GradientPenalty"/>, <see cref="WeightClipping"/>).
/// </remarks>
internal abstract class AdversarialLoss
{
    /// <summary>The loss D minimises, from its scores on real images and on generated ones.</summary>
    public abstract Tensor DiscriminatorLoss(Tensor realScores, Tensor fakeScores);

    /// <summary>The loss G minimises, from D's scores on generated images (the real term is constant for G).</summary>
    public abstract Tensor GeneratorLoss(Tensor fakeScores);

    public static AdversarialLoss Create(GanLoss loss) => loss switch
    {
        GanLoss.Minimax => new MinimaxLoss(),
        GanLoss.NonSaturating => new NonSaturatingLoss(),
        GanLoss.Wasserstein => new WassersteinLoss(),
        GanLoss.WassersteinGradientPenalty => new WassersteinLoss(),
        GanLoss.Hinge => new HingeLoss(),
        GanLoss.LeastSquares => new LeastSquaresLoss(),
        // GAN-QP's critic and generator terms are Wasserstein's; the O-GAN game adds the quadratic potential, which needs the images.
        GanLoss.GanQp => new WassersteinLoss(),
        _ => throw new ArgumentOutOfRangeException(nameof(loss), loss, "Unknown GAN loss."),
    };

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
