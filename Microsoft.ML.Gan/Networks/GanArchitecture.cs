namespace Microsoft.ML.Gan;

/// <summary>The generator and discriminator networks a <see cref="GanTrainer"/> builds.</summary>
public enum GanArchitecture
{
    /// <summary>Fully connected networks after the original GAN: G latent→256→256→pixels, D pixels→64→64→1.</summary>
    Mlp,

    /// <summary>DCGAN (Radford et al. 2016) convolutional networks sized to the image (8 px and up, 1 or 3 channels).</summary>
    Dcgan,
}
