using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using Microsoft.ML.Gan.Persistence;
using Microsoft.ML.Gan.Training;
using Microsoft.ML.Gan.Training.Checkpoints;

namespace Microsoft.ML.Gan;

public sealed partial class GanTrainer
{
    /// <summary>
    /// Options for <see cref="GanTrainer"/>. Every field has a default that trains a working DCGAN on small grayscale
    /// images; see docs/api.md for guidance per loss. The O-GAN and conditional trainers' options derive from it.
    /// </summary>
    public class Options
    {
        /// <summary>
        /// The column holding the training images: an <see cref="Microsoft.ML.Data.MLImage"/> column (LoadImages/ResizeImages) or a
        /// <see cref="float"/> vector column whose type gives its shape, such as ExtractPixels' <c>Vector&lt;Single, C, H, W&gt;</c>
        /// or LoadFromIdxFile's <c>Image</c>. Float pixels may be in [0, 1] or [0, 255]; the range is read from the data.
        /// </summary>
        public string ImageColumnName = Defaults.ImageColumnName;

        /// <summary>
        /// The column the fitted transformer's <c>Transform</c> adds with the discriminator's (critic's) score, as ML.NET
        /// transforms take <c>outputColumnName</c>. An input column of that name is hidden behind it, as with any ML.NET
        /// transform; a later trainer that writes <c>Score</c> (e.g. SdcaMaximumEntropy) hides this one unless it is renamed.
        /// </summary>
        public string ScoreColumnName = Defaults.ScoreColumnName;

        /// <summary>For an <see cref="Microsoft.ML.Data.MLImage"/> column: train on one luminance channel instead of red, green and blue.</summary>
        public bool Grayscale;

        /// <summary>The size of the latent vector z the generator turns into an image.</summary>
        public int LatentDimension = Defaults.LatentDimension;

        /// <summary>The generator and discriminator networks.</summary>
        public GanArchitecture Architecture = GanArchitecture.Dcgan;

        /// <summary>The adversarial objective.</summary>
        public GanLoss Loss = GanLoss.NonSaturating;

        /// <summary>Discriminator (critic) updates per generator update: k in the original GAN's algorithm.</summary>
        public int DiscriminatorSteps = 1;

        /// <summary>Weight λ of the gradient penalty, used by <see cref="GanLoss.WassersteinGradientPenalty"/>.</summary>
        public double GradientPenaltyWeight = 10;

        /// <summary>
        /// Clamp every discriminator weight to [−WeightClip, WeightClip] after each update (WGAN's Lipschitz constraint).
        /// Null means 0.01 for <see cref="GanLoss.Wasserstein"/> without spectral normalization, and no clipping otherwise.
        /// </summary>
        public double? WeightClip;

        /// <summary>
        /// Apply spectral normalization (one power iteration per step) to every discriminator layer. <see cref="GanArchitecture.ResNet"/>'s
        /// discriminator is always spectrally normalised, as in SNGAN, so for it this option changes nothing.
        /// </summary>
        public bool SpectralNormalization;

        /// <summary>
        /// Differentiable augmentation (DiffAugment): transforms applied to every image the discriminator judges — real and
        /// generated, in both updates — so that it cannot memorise a small training set: a comma-separated list of
        /// <c>color</c> (brightness, saturation, contrast), <c>translation</c> (a shift by up to 1/8 of the image) and
        /// <c>cutout</c> (a square of half the image set to grey) and <c>noise</c> (Gaussian, standard deviation 0.2, for
        /// O-GAN: see docs/o-gan.md), applied in the order named, such as <c>"color,translation,cutout"</c>. Null or empty
        /// (the default) augments nothing. See docs/small-data.md.
        /// </summary>
        public string? Augmentation;

        /// <summary>
        /// Adaptive augmentation strength (ADA, Karras et al. 2020): null (the default) applies every transform of
        /// <see cref="Augmentation"/> to every image; a target r in (0, 1) — 0.6 is ADA's — applies each transform to each
        /// image with a probability p that starts at 0, rises while the discriminator's overfitting heuristic
        /// E[sign(D(x))] on the real images exceeds the target and falls while it is below, at the speed
        /// <see cref="AugmentationAdjustmentImages"/> sets. Augmentation then costs nothing while the discriminator does
        /// not overfit. Needs <see cref="Augmentation"/> and a loss whose scores say "real" or "fake" by their sign:
        /// NonSaturating, Minimax, Hinge or LeastSquares. The training log reports p at every log point.
        /// </summary>
        public double? AugmentationTarget;

        /// <summary>
        /// With <see cref="AugmentationTarget"/>: the real images over which p can move from 0 to 1; each discriminator update
        /// moves it by its batch size over this number. 500,000 (the default) is ADA's; a short run may need fewer.
        /// </summary>
        public int AugmentationAdjustmentImages = Defaults.AugmentationAdjustmentImages;

        /// <summary>
        /// Weight γ of the R1 penalty, γ/2 · E[‖∇ₓ D(x)‖²] on the real images the discriminator judges (augmented ones
        /// with <see cref="Augmentation"/>). Null (the default) adds none; 0.1 to 10 are usual, larger for larger images.
        /// It leaves batch normalization out of the discriminator, as the gradient penalty does.
        /// </summary>
        public double? R1Weight;

        /// <summary>
        /// Discriminator updates between applications of the R1 penalty, which is then scaled by this interval (StyleGAN2's
        /// lazy regularization: 16 costs about 1/16 of the penalty's time). 1 (the default) applies it at every update.
        /// </summary>
        public int R1Interval = Defaults.R1Interval;

        /// <summary>Images per discriminator update.</summary>
        public int BatchSize = 64;

        /// <summary>Passes over the training data.</summary>
        public int Epochs = Defaults.Epochs;

        /// <summary>An optional cap on generator updates; training stops at whichever of Epochs and MaxSteps comes first.</summary>
        public int? MaxSteps;

        /// <summary>Adam learning rate of the generator.</summary>
        public double GeneratorLearningRate = 2e-4;

        /// <summary>Adam learning rate of the discriminator.</summary>
        public double DiscriminatorLearningRate = 2e-4;

        /// <summary>Adam's first-moment decay (0.5 as in DCGAN; 0 is usual for WGAN-GP).</summary>
        public double Beta1 = 0.5;

        /// <summary>Adam's second-moment decay (0.9 is usual for WGAN-GP).</summary>
        public double Beta2 = 0.999;

        /// <summary>Seed of weight initialisation, shuffling and noise. Null takes one from the MLContext's seed.</summary>
        public int? Seed;

        /// <summary>Write losses to <c>MLContext.Log</c> and record them in <see cref="GanTransformerBase.TrainingHistory"/> every this many generator updates.</summary>
        public int LogEveryNSteps = 100;

        /// <summary>
        /// Called on the training thread after every generator update and once more at the end of each epoch, for
        /// progress bars and sample grids (see <see cref="GanTrainingProgress.SampleImages"/>). Keep it quick: training
        /// waits for it. Losses arrive every <see cref="LogEveryNSteps"/> updates in <see cref="GanTrainingProgress.LatestRecord"/>.
        /// Not saved with the model.
        /// </summary>
        public Action<GanTrainingProgress>? ProgressCallback;

        /// <summary>
        /// A folder for training checkpoints (created if needed). Every <see cref="CheckpointEveryNSteps"/> generator updates,
        /// and at the end, the full training state is written there atomically; see docs/checkpoints.md. Null writes none.
        /// The folder belongs to one run: a run without <see cref="ResumeFrom"/> needs it free of checkpoints, and one
        /// process at a time trains into it.
        /// </summary>
        public string? CheckpointDirectory;

        /// <summary>Generator updates between checkpoints written to <see cref="CheckpointDirectory"/>.</summary>
        public int CheckpointEveryNSteps = Defaults.CheckpointEveryNSteps;

        /// <summary>How many of the run's newest checkpoints <see cref="CheckpointDirectory"/> keeps; older ones are deleted, never the one just written.</summary>
        public int KeepCheckpoints = Defaults.KeepCheckpoints;

        /// <summary>
        /// A checkpoint file, or a folder of them (the newest readable one is used; none at all starts from scratch), to
        /// continue training from. The options listed by the checkpoint's settings (architecture, loss, batch size,
        /// learning rates, ...) and the training data must match; Epochs, MaxSteps and logging may change. Null trains from scratch.
        /// </summary>
        public string? ResumeFrom;

        /// <summary>
        /// Keep an exponential moving average of the generator's weights with this decay (0.999 is usual) and generate from
        /// it in the fitted model. Null (the default) keeps none.
        /// </summary>
        public double? GeneratorEmaDecay;

        /// <summary>
        /// Generator updates over which the average's decay ramps linearly from 0 to <see cref="GeneratorEmaDecay"/>, so the
        /// average forgets the random initial weights quickly.
        /// </summary>
        public int GeneratorEmaWarmupSteps = Defaults.GeneratorEmaWarmupSteps;

        /// <summary>
        /// On divergence (NaN or infinity in a loss or a gradient), go back to the last checkpoint with both learning
        /// rates multiplied by <see cref="RollbackLearningRateFactor"/>, at most this many times. 0 (the default) stops
        /// with a <see cref="GanTrainingDivergedException"/> instead. Needs <see cref="CheckpointDirectory"/>.
        /// </summary>
        public int DivergenceRollbacks;

        /// <summary>The factor applied to both learning rates at each rollback (see <see cref="DivergenceRollbacks"/>).</summary>
        public double RollbackLearningRateFactor = 0.5;

        /// <summary>
        /// What happens when training goes wrong while every number stays finite: a loss far beyond its kind's range, a
        /// network's weights grown a thousandfold from their initial norm, or (Minimax and NonSaturating) a discriminator
        /// saturated at D(x) ≥ 0.99 and D(G(z)) ≤ 0.01 for 500 generator updates. <see cref="FiniteDivergenceHandling.Error"/>
        /// (the default) treats it as NaN (see <see cref="DivergenceRollbacks"/>); docs/checkpoints.md gives the limits and
        /// the measurements behind them.
        /// </summary>
        public FiniteDivergenceHandling FiniteDivergence = FiniteDivergenceHandling.Error;

        /// <summary>
        /// How the training images are read: all into one tensor (<see cref="TrainingDataMode.InMemory"/>), streamed from the
        /// IDataView every epoch (<see cref="TrainingDataMode.Streaming"/>), or chosen by size (<see cref="TrainingDataMode.Auto"/>,
        /// the default, which keeps runs that fit in <see cref="MaxInMemoryBytes"/> exactly as they were). The two orders
        /// differ, so the same seed gives different (each reproducible) results in the two modes.
        /// </summary>
        public TrainingDataMode DataLoading = TrainingDataMode.Auto;

        /// <summary>
        /// With <see cref="TrainingDataMode.Auto"/>: the largest training set, in bytes as a float tensor (rows × C × H × W × 4),
        /// read into memory; a larger one is streamed. 1 GiB by default.
        /// </summary>
        public long MaxInMemoryBytes = Defaults.MaxInMemoryBytes;

        /// <summary>
        /// When streaming: batches the background reader may have ready ahead of the training step. Each costs one batch of
        /// floats; 2 or 3 hide the reading time whenever reading a batch is faster than training on it.
        /// </summary>
        public int PrefetchBatches = Defaults.PrefetchBatches;

        /// <summary>
        /// When streaming: rows held in the shuffle pool (as in <c>mlContext.Data.ShuffleRows</c>'s <c>shufflePoolSize</c>).
        /// Rows are read in data order, and each batch row is drawn at random from the pool, which the next row refills; a pool
        /// at least as large as the data shuffles it completely, 1 does not shuffle at all. The pool holds
        /// ShufflePoolSize × C × H × W floats. Data sorted by class needs a pool larger than a class, or
        /// <c>mlContext.Data.ShuffleRows</c> beforehand.
        /// </summary>
        public int ShufflePoolSize = Defaults.ShufflePoolSize;

        /// <summary>Opens a checkpoint's temporary file for writing; tests replace it to simulate failing disks.</summary>
        internal Func<string, Stream> OpenCheckpointFile = CheckpointStore.CreateFile;

        internal static class Defaults
        {
            public const string ImageColumnName = DefaultColumnNames.Image;
            public const string ScoreColumnName = DefaultColumnNames.Score;
            public const int LatentDimension = 100;
            public const int Epochs = 10;
            public const int CheckpointEveryNSteps = 1000;
            public const int KeepCheckpoints = 3;
            public const int GeneratorEmaWarmupSteps = 100;
            public const long MaxInMemoryBytes = 1L << 30;
            public const int PrefetchBatches = 3;
            public const int ShufflePoolSize = 8192;
            public const int R1Interval = 1;
            public const int AugmentationAdjustmentImages = 500_000;
        }

        /// <summary>The clipping bound in force once the loss-dependent default is resolved, or null for none.</summary>
        internal double? EffectiveWeightClip =>
            WeightClip ?? (Loss == GanLoss.Wasserstein && !EffectiveSpectralNormalization ? 0.01 : null);

        /// <summary>Whether the discriminator is spectrally normalised: when asked, and always for ResNet, whose design includes it.</summary>
        internal bool EffectiveSpectralNormalization => SpectralNormalization || Architecture == GanArchitecture.ResNet;

        /// <summary>Batch normalization in the discriminator breaks the per-sample gradient penalty and duplicates spectral normalization's job.</summary>
        internal bool DiscriminatorBatchNorm => Loss != GanLoss.WassersteinGradientPenalty && !EffectiveSpectralNormalization && R1Weight is null;

        /// <summary>The augmentation <see cref="Augmentation"/> names, or null for none; throws naming the option if it names an unknown transform.</summary>
        internal DifferentiableAugmentation? CreateAugmentation() => DifferentiableAugmentation.Parse(Augmentation, nameof(Augmentation));

        /// <summary>
        /// The terms the game adds to the losses, in order: the loss's own critic terms (WGAN-GP's gradient penalty), then
        /// each trainer's. A new regularizer is one class and one line here or in a trainer's override.
        /// </summary>
        internal virtual IEnumerable<Regularizer> Regularizers()
        {
            if (Loss == GanLoss.WassersteinGradientPenalty)
            {
                yield return new GradientPenalty(GradientPenaltyWeight);
            }
            if (R1Weight is double r1)
            {
                yield return new R1Penalty(r1, R1Interval);
            }
        }

        /// <summary>Whether the trainer these options belong to implements <see cref="GanLoss.GanQp"/>.</summary>
        internal virtual bool SupportsQuadraticPotential => false;

        /// <summary>Throws an exception naming the first option that cannot work.</summary>
        internal virtual void Validate()
        {
            if (string.IsNullOrWhiteSpace(ImageColumnName))
            {
                throw new ArgumentException("ImageColumnName must name the column that holds the training images.", nameof(ImageColumnName));
            }
            if (string.IsNullOrWhiteSpace(ScoreColumnName))
            {
                throw new ArgumentException("ScoreColumnName must name the column Transform adds with the score.", nameof(ScoreColumnName));
            }
            RequireDefined(Architecture, nameof(Architecture));
            RequireDefined(Loss, nameof(Loss));
            RequireAtLeast(LatentDimension, 1, nameof(LatentDimension));
            RequireAtLeast(DiscriminatorSteps, 1, nameof(DiscriminatorSteps));
            RequireAtLeast(BatchSize, 1, nameof(BatchSize));
            RequireAtLeast(Epochs, 1, nameof(Epochs));
            RequireAtLeast(LogEveryNSteps, 1, nameof(LogEveryNSteps));
            if (MaxSteps is int maxSteps)
            {
                RequireAtLeast(maxSteps, 1, nameof(MaxSteps));
            }
            RequirePositive(GeneratorLearningRate, nameof(GeneratorLearningRate));
            RequirePositive(DiscriminatorLearningRate, nameof(DiscriminatorLearningRate));
            RequireUnitInterval(Beta1, nameof(Beta1));
            RequireUnitInterval(Beta2, nameof(Beta2));
            if (!(GradientPenaltyWeight >= 0) || double.IsInfinity(GradientPenaltyWeight))
            {
                throw new ArgumentOutOfRangeException(nameof(GradientPenaltyWeight), GradientPenaltyWeight, "GradientPenaltyWeight must be a finite number ≥ 0.");
            }
            if (WeightClip is double clip)
            {
                RequirePositive(clip, nameof(WeightClip));
            }
            DifferentiableAugmentation? augmentation = CreateAugmentation();
            if (AugmentationTarget is double target)
            {
                RequireAdaptable(target, augmentation);
            }
            RequireAtLeast(AugmentationAdjustmentImages, 1, nameof(AugmentationAdjustmentImages));
            if (R1Weight is double r1)
            {
                RequirePositive(r1, nameof(R1Weight));
            }
            RequireAtLeast(R1Interval, 1, nameof(R1Interval));
            if (Loss == GanLoss.GanQp && !SupportsQuadraticPotential)
            {
                throw new ArgumentException(
                    "Loss GanQp pairs every real image with a generated one in the critic's quadratic potential; only the O-GAN trainer " +
                    "(mlContext.Gan().Trainers.OGan) implements it. Choose another Loss for this trainer.", nameof(Loss));
            }
            if (Loss == GanLoss.WassersteinGradientPenalty && GradientPenaltyWeight == 0)
            {
                throw new ArgumentException(
                    "Loss WassersteinGradientPenalty with GradientPenaltyWeight 0 leaves the critic unconstrained and cannot converge; " +
                    "set GradientPenaltyWeight > 0 (10 is usual), or use Loss Wasserstein with WeightClip or SpectralNormalization.",
                    nameof(GradientPenaltyWeight));
            }
            RequireAtLeast(CheckpointEveryNSteps, 1, nameof(CheckpointEveryNSteps));
            RequireAtLeast(KeepCheckpoints, 1, nameof(KeepCheckpoints));
            RequireAtLeast(GeneratorEmaWarmupSteps, 0, nameof(GeneratorEmaWarmupSteps));
            RequireAtLeast(DivergenceRollbacks, 0, nameof(DivergenceRollbacks));
            RequireDefined(FiniteDivergence, nameof(FiniteDivergence));
            if (GeneratorEmaDecay is double decay && !(decay > 0 && decay < 1))
            {
                throw new ArgumentOutOfRangeException(nameof(GeneratorEmaDecay), decay, $"GeneratorEmaDecay must be in (0, 1), such as 0.999; got {decay}.");
            }
            if (!(RollbackLearningRateFactor > 0 && RollbackLearningRateFactor < 1))
            {
                throw new ArgumentOutOfRangeException(nameof(RollbackLearningRateFactor), RollbackLearningRateFactor,
                    $"RollbackLearningRateFactor must be in (0, 1); got {RollbackLearningRateFactor}.");
            }
            if (DivergenceRollbacks > 0 && CheckpointDirectory == null)
            {
                throw new ArgumentException("DivergenceRollbacks needs a CheckpointDirectory to roll back to.", nameof(DivergenceRollbacks));
            }
            if (CheckpointDirectory != null)
            {
                AtomicFile.RequireWritableFolder(CheckpointDirectory, nameof(CheckpointDirectory));
            }
            RequireDefined(DataLoading, nameof(DataLoading));
            if (MaxInMemoryBytes < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(MaxInMemoryBytes), MaxInMemoryBytes, $"MaxInMemoryBytes must be at least 0; got {MaxInMemoryBytes}.");
            }
            RequireAtLeast(PrefetchBatches, 1, nameof(PrefetchBatches));
            RequireAtLeast(ShufflePoolSize, 1, nameof(ShufflePoolSize));
            if (ResumeFrom != null && !File.Exists(ResumeFrom) && !Directory.Exists(ResumeFrom))
            {
                throw new ArgumentException($"ResumeFrom '{ResumeFrom}' is neither a checkpoint file nor a folder of checkpoints.", nameof(ResumeFrom));
            }
        }

        /// <summary>
        /// The settings a checkpoint must share with the run that resumes from it, by name: those that shape the networks,
        /// the data batches or the updates. Derived options add their own.
        /// </summary>
        /// <summary>One entry of <see cref="ResumeSettings"/>: the option's name and its value as text.</summary>
        private protected static KeyValuePair<string, string> Setting(string name, object? value) =>
            new(name, Convert.ToString(value, CultureInfo.InvariantCulture) ?? "none");

        internal virtual IEnumerable<KeyValuePair<string, string>> ResumeSettings()
        {
            yield return Setting(nameof(Architecture), Architecture);
            yield return Setting(nameof(Loss), Loss);
            yield return Setting(nameof(LatentDimension), LatentDimension);
            yield return Setting(nameof(Grayscale), Grayscale);
            yield return Setting(nameof(BatchSize), BatchSize);
            yield return Setting(nameof(DiscriminatorSteps), DiscriminatorSteps);
            yield return Setting(nameof(GeneratorLearningRate), GeneratorLearningRate);
            yield return Setting(nameof(DiscriminatorLearningRate), DiscriminatorLearningRate);
            yield return Setting(nameof(Beta1), Beta1);
            yield return Setting(nameof(Beta2), Beta2);
            yield return Setting(nameof(SpectralNormalization), EffectiveSpectralNormalization);
            yield return Setting(nameof(WeightClip), EffectiveWeightClip);
            yield return Setting(nameof(GradientPenaltyWeight), Loss == GanLoss.WassersteinGradientPenalty ? GradientPenaltyWeight : null);
            yield return Setting(nameof(GeneratorEmaDecay), GeneratorEmaDecay);
            yield return Setting(nameof(GeneratorEmaWarmupSteps), GeneratorEmaDecay == null ? null : GeneratorEmaWarmupSteps);
            yield return Setting(nameof(Augmentation), CreateAugmentation()?.Policy);
            yield return Setting(nameof(AugmentationTarget), AugmentationTarget);
            yield return Setting(nameof(AugmentationAdjustmentImages), AugmentationTarget == null ? null : AugmentationAdjustmentImages);
            yield return Setting(nameof(R1Weight), R1Weight);
            yield return Setting(nameof(R1Interval), R1Weight == null ? null : R1Interval);
        }


        /// <summary>The options as the training log states them at the start of a run (one line per group).</summary>
        internal virtual IEnumerable<string> Describe()
        {
            yield return $"architecture {Architecture}, loss {Loss}, latent {LatentDimension}, batch {BatchSize}, epochs {Epochs}" +
                         (MaxSteps is int s ? $", max steps {s}" : string.Empty);
            yield return string.Format(CultureInfo.InvariantCulture,
                "lr G {0:g3}, lr D {1:g3}, betas ({2}, {3}), D steps {4}, spectral norm {5}, weight clip {6}, gradient penalty {7}",
                GeneratorLearningRate, DiscriminatorLearningRate, Beta1, Beta2, DiscriminatorSteps, EffectiveSpectralNormalization,
                EffectiveWeightClip?.ToString(CultureInfo.InvariantCulture) ?? "none",
                Loss == GanLoss.WassersteinGradientPenalty ? GradientPenaltyWeight.ToString(CultureInfo.InvariantCulture) : "none");
            string? policy = CreateAugmentation()?.Policy;
            if (policy != null || R1Weight != null)
            {
                yield return string.Format(CultureInfo.InvariantCulture, "augmentation {0}{1}, R1 {2}", policy ?? "none",
                    AugmentationTarget is double target
                        ? string.Format(CultureInfo.InvariantCulture, " (adaptive: p from 0 toward r = {0}, 0 to 1 in {1} images)", target, AugmentationAdjustmentImages)
                        : string.Empty,
                    R1Weight is double r1 ? string.Format(CultureInfo.InvariantCulture, "{0} every {1} D update(s)", r1, R1Interval) : "none");
            }
        }

        private void RequireAdaptable(double target, DifferentiableAugmentation? augmentation)
        {
            if (!(target > 0 && target < 1))
            {
                throw new ArgumentOutOfRangeException(nameof(AugmentationTarget), target, $"AugmentationTarget must be in (0, 1), such as ADA's 0.6; got {target}.");
            }
            if (augmentation == null)
            {
                throw new ArgumentException(
                    "AugmentationTarget adapts how often the Augmentation transforms are applied, and Augmentation names none; " +
                    "set Augmentation too, such as \"color,translation,cutout\".", nameof(AugmentationTarget));
            }
            if (AdversarialLoss.Create(Loss).DecisionThreshold == null)
            {
                throw new ArgumentException(
                    $"AugmentationTarget steers by the sign of the discriminator's scores on real images, and Loss {Loss} has a critic whose " +
                    "scores have no sign (they are defined up to a constant). Use NonSaturating, Minimax, Hinge or LeastSquares, or a fixed " +
                    "Augmentation without AugmentationTarget.", nameof(AugmentationTarget));
            }
        }

        /// <summary>ADA's controller the options ask for, on <paramref name="device"/>, or null for a fixed augmentation or none.</summary>
        internal AdaptiveAugmentationStrength? CreateAugmentationStrength(TorchSharp.torch.Device device) =>
            AugmentationTarget is double target
                ? new AdaptiveAugmentationStrength(target, AdversarialLoss.Create(Loss).DecisionThreshold!.Value, AugmentationAdjustmentImages, device)
                : null;

        private static void RequireDefined<TEnum>(TEnum value, string name) where TEnum : struct, Enum
        {
            if (!Enum.IsDefined(value))
            {
                throw new ArgumentOutOfRangeException(name, value, $"{name} {value} is not one of: {string.Join(", ", Enum.GetNames<TEnum>())}.");
            }
        }

        private static void RequireAtLeast(int value, int minimum, string name)
        {
            if (value < minimum)
            {
                throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least {minimum}; got {value}.");
            }
        }

        private static void RequirePositive(double value, string name)
        {
            if (!(value > 0) || double.IsInfinity(value))
            {
                throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number > 0; got {value}.");
            }
        }

        private static void RequireUnitInterval(double value, string name)
        {
            if (!(value >= 0 && value < 1))
            {
                throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [0, 1); got {value}.");
            }
        }
    }
}
