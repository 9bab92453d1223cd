namespace Microsoft.ML.Gan;

/// <summary>The adversarial objective a <see cref="GanTrainer"/> optimises. See docs/losses.md for each formula.</summary>
public enum GanLoss
{
    /// <summary>Goodfellow et al. 2014 as written: G minimises log(1 − D(G(z))). Saturates early in training.</summary>
    Minimax,

    /// <summary>The practical form of the original GAN: G minimises −log D(G(z)). The default.</summary>
    NonSaturating,

    /// <summary>WGAN (Arjovsky et al. 2017): a critic kept Lipschitz by <see cref="GanTrainer.Options.WeightClip"/> or spectral normalization.</summary>
    Wasserstein,

    /// <summary>WGAN-GP (Gulrajani et al. 2017): the Wasserstein loss plus a gradient penalty on interpolates.</summary>
    WassersteinGradientPenalty,

    /// <summary>Hinge loss (Lim and Ye 2017; Miyato et al. 2018), usually with spectral normalization.</summary>
    Hinge,

    /// <summary>LSGAN (Mao et al. 2017): least-squares targets 1 for real and 0 for fake.</summary>
    LeastSquares,

    /// <summary>
    /// GAN-QP (Su 2018), the base loss of O-GAN's experiments: the critic maximises D(x) − D(G(z)) minus the quadratic
    /// potential (D(x) − D(G(z)))² / ‖x − G(z)‖². Only <see cref="OGanTrainer"/> supports it; its weight is
    /// <see cref="OGanTrainer.Options.QuadraticPotentialWeight"/>.
    /// </summary>
    GanQp,
}
