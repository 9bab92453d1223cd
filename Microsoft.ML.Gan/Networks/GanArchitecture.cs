namespace Microsoft.ML.Gan;

/// <summary>The generator and discriminator networks a <see cref="GanTrainer"/> builds.</summary>
/// <remarks>Saved models and checkpoints record the architecture: new members are only ever added at the end.</remarks>
public enum GanArchitecture
{
    /// <summary>Fully connected networks after the original GAN: G latent→256→256→pixels, D pixels→64→64→1.</summary>
    Mlp,

    /// <summary>DCGAN (Radford et al. 2016) convolutional networks sized to the image (8 px and up, 1 or 3 channels).</summary>
    Dcgan,

    /// <summary>
    /// SNGAN/BigGAN-style residual networks (Miyato et al. 2018, Brock et al. 2019) sized to the image: a generator of
    /// up-sampling residual blocks with batch normalization, and a discriminator of down-sampling residual blocks that is
    /// always spectrally normalised, whatever <see cref="GanTrainer.Options.SpectralNormalization"/> says. Images whose
    /// sides halve 2 to 5 times to a start map of 4 to 8 pixels: 16 to 256 px, such as 28, 32, 48, 64 and 128 (1 or 3
    /// channels). See docs/small-data.md.
    /// </summary>
    ResNet,
}
