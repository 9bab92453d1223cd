using System;

namespace Microsoft.ML.Gan;

/// <summary>The trainers of <c>mlContext.Gan().Trainers</c>.</summary>
public sealed class GanTrainerCatalog
{
    private readonly MLContext _context;

    internal GanTrainerCatalog(MLContext context)
    {
        _context = context;
    }

    /// <summary>A GAN trainer with every option available.</summary>
    /// <param name="options">The trainer's options; checked when <c>Fit</c> runs.</param>
    public GanTrainer Gan(GanTrainer.Options options) => new(_context, options ?? throw new ArgumentNullException(nameof(options)));

    /// <summary>A GAN trainer with the most used options; the rest keep their defaults.</summary>
    /// <param name="imageColumnName">The column of training images: <c>MLImage</c> or a known-size vector of Single (<c>Vector&lt;Single, C, H, W&gt;</c>).</param>
    /// <param name="latentDimension">The size of the generator's latent vector.</param>
    /// <param name="architecture">The networks: <see cref="GanArchitecture.Dcgan"/> or <see cref="GanArchitecture.Mlp"/>.</param>
    /// <param name="loss">The adversarial objective.</param>
    /// <param name="epochs">Passes over the training data.</param>
    public GanTrainer Gan(
        string imageColumnName = GanTrainer.Options.Defaults.ImageColumnName,
        int latentDimension = GanTrainer.Options.Defaults.LatentDimension,
        GanArchitecture architecture = GanArchitecture.Dcgan,
        GanLoss loss = GanLoss.NonSaturating,
        int epochs = GanTrainer.Options.Defaults.Epochs) =>
        Gan(new GanTrainer.Options
        {
            ImageColumnName = imageColumnName,
            LatentDimension = latentDimension,
            Architecture = architecture,
            Loss = loss,
            Epochs = epochs,
        });

    /// <summary>An O-GAN trainer (a GAN whose discriminator is also an encoder) with every option available.</summary>
    /// <param name="options">The trainer's options; checked when <c>Fit</c> runs.</param>
    public OGanTrainer OGan(OGanTrainer.Options options) => new(_context, options ?? throw new ArgumentNullException(nameof(options)));

    /// <summary>An O-GAN trainer with the most used options; the rest keep the paper's defaults.</summary>
    /// <param name="imageColumnName">The column of training images: <c>MLImage</c> or a known-size vector of Single (<c>Vector&lt;Single, C, H, W&gt;</c>).</param>
    /// <param name="latentDimension">The size of the latent vector and of the code <c>Latent</c>.</param>
    /// <param name="correlationWeight">λ, the weight of ρ(z, E(G(z))).</param>
    /// <param name="epochs">Passes over the training data.</param>
    public OGanTrainer OGan(
        string imageColumnName = GanTrainer.Options.Defaults.ImageColumnName,
        int latentDimension = OGanTrainer.Options.OGanDefaults.LatentDimension,
        double correlationWeight = OGanTrainer.Options.OGanDefaults.CorrelationWeight,
        int epochs = GanTrainer.Options.Defaults.Epochs) =>
        OGan(new OGanTrainer.Options
        {
            ImageColumnName = imageColumnName,
            LatentDimension = latentDimension,
            CorrelationWeight = correlationWeight,
            Epochs = epochs,
        });

    /// <summary>A class-conditional GAN trainer with every option available.</summary>
    /// <param name="options">The trainer's options; checked when <c>Fit</c> runs.</param>
    public ConditionalGanTrainer ConditionalGan(ConditionalGanTrainer.Options options) =>
        new(_context, options ?? throw new ArgumentNullException(nameof(options)));

    /// <summary>A class-conditional GAN trainer with the most used options; the rest keep their defaults.</summary>
    /// <param name="imageColumnName">The column of training images: <c>MLImage</c> or a known-size vector of Single (<c>Vector&lt;Single, C, H, W&gt;</c>).</param>
    /// <param name="labelColumnName">The column of class labels: a key type (from <c>MapValueToKey</c> or <c>LoadFromIdxFile</c>).</param>
    /// <param name="conditioning">How the discriminator is conditioned on the label.</param>
    /// <param name="latentDimension">The size of the generator's latent vector.</param>
    /// <param name="architecture">The networks: <see cref="GanArchitecture.Dcgan"/> or <see cref="GanArchitecture.Mlp"/>.</param>
    /// <param name="loss">The adversarial objective.</param>
    /// <param name="epochs">Passes over the training data.</param>
    public ConditionalGanTrainer ConditionalGan(
        string imageColumnName = GanTrainer.Options.Defaults.ImageColumnName,
        string labelColumnName = ConditionalGanTrainer.Options.DefaultLabelColumnName,
        ConditioningMethod conditioning = ConditioningMethod.Projection,
        int latentDimension = GanTrainer.Options.Defaults.LatentDimension,
        GanArchitecture architecture = GanArchitecture.Dcgan,
        GanLoss loss = GanLoss.NonSaturating,
        int epochs = GanTrainer.Options.Defaults.Epochs) =>
        ConditionalGan(new ConditionalGanTrainer.Options
        {
            ImageColumnName = imageColumnName,
            LabelColumnName = labelColumnName,
            Conditioning = conditioning,
            LatentDimension = latentDimension,
            Architecture = architecture,
            Loss = loss,
            Epochs = epochs,
        });
}
