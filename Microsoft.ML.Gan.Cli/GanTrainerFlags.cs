using System.CommandLine;

namespace Microsoft.ML.Gan.Cli;

/// <summary>One flag per field of <see cref="GanTrainer.Options"/>, its default shown in <c>gan train --help</c>.</summary>
internal static class GanTrainerFlags
{
    /// <summary>The tool trains fewer epochs than the library's default, so that a first run takes minutes, and logs more often.</summary>
    public static GanTrainer.Options ToolDefaults() => new() { Epochs = 20, LogEveryNSteps = 50, Seed = 1 };

    /// <summary>Binds every <see cref="GanTrainer.Options"/> field except the image column (the tool names it) and the callback.</summary>
    public static OptionBinder<GanTrainer.Options> Create()
    {
        GanTrainer.Options d = ToolDefaults();
        var binder = new OptionBinder<GanTrainer.Options>();
        binder.Add(Flag("--architecture", "Dcgan, Mlp or ResNet (residual networks, spectral norm in D always; sides of 16 to 256 px such as 28, 32, 64, 128).", d.Architecture, helpName: "name"), nameof(d.Architecture), (o, v) => o.Architecture = v);
        binder.Add(Flag("--loss", "NonSaturating, Minimax, Wasserstein, WassersteinGradientPenalty, Hinge or LeastSquares.", d.Loss, helpName: "name"), nameof(d.Loss), (o, v) => o.Loss = v);
        binder.Add(Flag("--latent", "Latent vector size.", d.LatentDimension, alias: "--latent-dim"), nameof(d.LatentDimension), (o, v) => o.LatentDimension = v);
        binder.Add(Flag("--epochs", "Passes over the data.", d.Epochs), nameof(d.Epochs), (o, v) => o.Epochs = v);
        binder.Add(Flag<int?>("--max-steps", "Cap on generator updates (training stops at whichever of --epochs and this comes first).", d.MaxSteps), nameof(d.MaxSteps), (o, v) => o.MaxSteps = v);
        binder.Add(Flag("--batch-size", "Images per discriminator update.", d.BatchSize), nameof(d.BatchSize), (o, v) => o.BatchSize = v);
        binder.Add(Flag("--d-steps", "Discriminator updates per generator update (k).", d.DiscriminatorSteps), nameof(d.DiscriminatorSteps), (o, v) => o.DiscriminatorSteps = v);
        binder.Add(Flag("--lr-g", "Generator learning rate (Adam).", d.GeneratorLearningRate), nameof(d.GeneratorLearningRate), (o, v) => o.GeneratorLearningRate = v);
        binder.Add(Flag("--lr-d", "Discriminator learning rate (Adam).", d.DiscriminatorLearningRate), nameof(d.DiscriminatorLearningRate), (o, v) => o.DiscriminatorLearningRate = v);
        binder.Add(Flag("--beta1", "Adam beta1 (0 is usual for WGAN-GP).", d.Beta1), nameof(d.Beta1), (o, v) => o.Beta1 = v);
        binder.Add(Flag("--beta2", "Adam beta2 (0.9 is usual for WGAN-GP).", d.Beta2), nameof(d.Beta2), (o, v) => o.Beta2 = v);
        binder.Add(Flag("--gp-weight", "Gradient penalty weight (loss WassersteinGradientPenalty).", d.GradientPenaltyWeight), nameof(d.GradientPenaltyWeight), (o, v) => o.GradientPenaltyWeight = v);
        binder.Add(Flag<double?>("--weight-clip", "Clamp discriminator weights to ±this after each update. Default: 0.01 for Wasserstein without spectral norm, else none.", d.WeightClip), nameof(d.WeightClip), (o, v) => o.WeightClip = v);
        binder.Add(Flag<string?>("--augment", "Differentiable augmentation of every image D sees: comma-separated color, translation, cutout, noise (e.g. color,translation,cutout). Default: none.", d.Augmentation, helpName: "policy"), nameof(d.Augmentation), (o, v) => o.Augmentation = v);
        binder.Add(Flag<double?>("--augment-target", "Adapt how often --augment's transforms apply (ADA): raise the probability while E[sign(D(x))] on real images exceeds this target (0.6 is ADA's). Default: always apply.", d.AugmentationTarget, helpName: "r"), nameof(d.AugmentationTarget), (o, v) => o.AugmentationTarget = v);
        binder.Add(Flag("--augment-adjustment-images", "With --augment-target: real images over which the probability can move from 0 to 1.", d.AugmentationAdjustmentImages), nameof(d.AugmentationAdjustmentImages), (o, v) => o.AugmentationAdjustmentImages = v);
        binder.Add(Flag<double?>("--r1", "R1 penalty weight γ on D's gradient at real images (e.g. 1 or 10). Default: none.", d.R1Weight, helpName: "gamma"), nameof(d.R1Weight), (o, v) => o.R1Weight = v);
        binder.Add(Flag("--r1-interval", "Apply the R1 penalty every this many D updates, scaled to match (16 is StyleGAN2's lazy R1).", d.R1Interval), nameof(d.R1Interval), (o, v) => o.R1Interval = v);
        binder.Add(Flag("--spectral-norm", "Spectral normalization in the discriminator.", d.SpectralNormalization), nameof(d.SpectralNormalization), (o, v) => o.SpectralNormalization = v);
        binder.Add(Flag("--grayscale", "Train folder images as one luminance channel instead of red, green and blue.", d.Grayscale), nameof(d.Grayscale), (o, v) => o.Grayscale = v);
        binder.Add(Flag("--seed", "Seed of weight initialisation, shuffling, noise and the sample grids.", d.Seed ?? 1), nameof(d.Seed), (o, v) => o.Seed = v);
        binder.Add(Flag("--log-every", "Record losses (progress lines, TensorBoard) every this many generator updates.", d.LogEveryNSteps), nameof(d.LogEveryNSteps), (o, v) => o.LogEveryNSteps = v);
        binder.Add(Flag<string?>("--checkpoint-dir", "Folder for training checkpoints (see docs/checkpoints.md).", d.CheckpointDirectory, helpName: "dir"), nameof(d.CheckpointDirectory), (o, v) => o.CheckpointDirectory = v);
        binder.Add(Flag("--checkpoint-every", "Generator updates between checkpoints.", d.CheckpointEveryNSteps), nameof(d.CheckpointEveryNSteps), (o, v) => o.CheckpointEveryNSteps = v);
        binder.Add(Flag("--keep-checkpoints", "Newest checkpoints kept.", d.KeepCheckpoints), nameof(d.KeepCheckpoints), (o, v) => o.KeepCheckpoints = v);
        binder.Add(Flag<string?>("--resume-from", "A checkpoint file or folder to continue from exactly (--resume uses --checkpoint-dir).", d.ResumeFrom, helpName: "path"), nameof(d.ResumeFrom), (o, v) => o.ResumeFrom = v);
        binder.Add(Flag<double?>("--ema-decay", "Generate from a moving average of the generator's weights with this decay (e.g. 0.999).", d.GeneratorEmaDecay), nameof(d.GeneratorEmaDecay), (o, v) => o.GeneratorEmaDecay = v);
        binder.Add(Flag("--ema-warmup", "Generator updates over which the moving average's decay ramps up.", d.GeneratorEmaWarmupSteps), nameof(d.GeneratorEmaWarmupSteps), (o, v) => o.GeneratorEmaWarmupSteps = v);
        binder.Add(Flag("--rollbacks", "On divergence (NaN/Inf, or --finite-divergence Error), roll back to the last checkpoint with lower learning rates at most this many times (needs --checkpoint-dir).", d.DivergenceRollbacks), nameof(d.DivergenceRollbacks), (o, v) => o.DivergenceRollbacks = v);
        binder.Add(Flag("--rollback-lr-factor", "Learning-rate factor per rollback.", d.RollbackLearningRateFactor), nameof(d.RollbackLearningRateFactor), (o, v) => o.RollbackLearningRateFactor = v);
        binder.Add(Flag("--finite-divergence", "Error (treat like NaN: roll back or exit 1), Warning or Ignore, when losses or weights blow up while finite or D saturates (see docs/checkpoints.md).", d.FiniteDivergence, helpName: "mode"), nameof(d.FiniteDivergence), (o, v) => o.FiniteDivergence = v);
        binder.Add(Flag("--data-loading", "Auto (in memory up to --max-in-memory-bytes, else streamed), InMemory or Streaming.", d.DataLoading, helpName: "mode"), nameof(d.DataLoading), (o, v) => o.DataLoading = v);
        binder.Add(Flag("--max-in-memory-bytes", "Largest training set (as floats) that --data-loading Auto reads into memory.", d.MaxInMemoryBytes), nameof(d.MaxInMemoryBytes), (o, v) => o.MaxInMemoryBytes = v);
        binder.Add(Flag("--prefetch-batches", "When streaming: batches read ahead of the training step.", d.PrefetchBatches), nameof(d.PrefetchBatches), (o, v) => o.PrefetchBatches = v);
        binder.Add(Flag("--shuffle-pool-size", "When streaming: rows in the shuffle pool.", d.ShufflePoolSize), nameof(d.ShufflePoolSize), (o, v) => o.ShufflePoolSize = v);
        return binder;
    }

    private static Option<T> Flag<T>(string name, string description, T defaultValue, string? alias = null, string? helpName = null) =>
        new(name, alias is null ? System.Array.Empty<string>() : new[] { alias }) { Description = description, DefaultValueFactory = _ => defaultValue, HelpName = helpName };
}
