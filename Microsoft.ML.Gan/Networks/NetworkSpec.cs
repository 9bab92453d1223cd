using Microsoft.ML.Gan.Data;

namespace Microsoft.ML.Gan.Networks;

/// <summary>
/// Everything <see cref="GanNetworkFactory"/> needs to build a generator and a discriminator.
/// </summary>
/// <param name="Architecture">Which pair of networks to build.</param>
/// <param name="Shape">The images G produces and D reads.</param>
/// <param name="LatentDimension">Length of the noise vector z fed to G.</param>
/// <param name="DiscriminatorOutputs">
/// Width of D's output. 1 for an ordinary critic; O-GAN uses <paramref name="LatentDimension"/> so that D is an encoder.
/// </param>
/// <param name="SpectralNormalization">Divide every Linear/Conv2d weight of D by its largest singular value.</param>
/// <param name="DiscriminatorBatchNorm">
/// Put BatchNorm2d in D (Dcgan only). Turn it off for WGAN-GP, whose per-sample gradient penalty BatchNorm breaks.
/// </param>
internal sealed record NetworkSpec(
    GanArchitecture Architecture,
    ImageShape Shape,
    int LatentDimension,
    int DiscriminatorOutputs = 1,
    bool SpectralNormalization = false,
    bool DiscriminatorBatchNorm = true);
