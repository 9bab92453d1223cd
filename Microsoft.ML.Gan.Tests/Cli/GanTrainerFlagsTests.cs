using System.CommandLine;
using System.Linq;
using System.Reflection;
using Microsoft.ML.Gan.Cli;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Cli;

/// <summary>Every <see cref="GanTrainer.Options"/> field is reachable from <c>gan train</c>'s flags.</summary>
[TestFixture]
public class GanTrainerFlagsTests
{
    private static readonly string[] AllFlags =
    {
        "--architecture", "Mlp", "--loss", "Hinge", "--latent", "7", "--epochs", "3", "--max-steps", "9", "--batch-size", "5",
        "--d-steps", "2", "--lr-g", "0.001", "--lr-d", "0.003", "--beta1", "0.1", "--beta2", "0.8", "--gp-weight", "4",
        "--weight-clip", "0.05", "--augment", "color,cutout", "--augment-target", "0.7", "--augment-adjustment-images", "1234", "--r1", "2.5", "--r1-interval", "16", "--spectral-norm", "--grayscale", "--seed", "42", "--log-every", "3",
        "--checkpoint-dir", "ckpt", "--checkpoint-every", "11", "--keep-checkpoints", "2", "--resume-from", "ckpt/x.gancheckpoint",
        "--ema-decay", "0.99", "--ema-warmup", "13", "--rollbacks", "1", "--rollback-lr-factor", "0.25",
        "--finite-divergence", "Warning",
        "--data-loading", "Streaming", "--max-in-memory-bytes", "1000", "--prefetch-batches", "5", "--shuffle-pool-size", "17",
    };

    private static GanTrainer.Options Parse(params string[] args)
    {
        OptionBinder<GanTrainer.Options> binder = GanTrainerFlags.Create();
        var command = new System.CommandLine.Command("train");
        foreach (Option flag in binder.Flags)
        {
            command.Options.Add(flag);
        }
        ParseResult result = command.Parse(args);
        Assert.That(result.Errors, Is.Empty);
        return binder.Apply(result, GanTrainerFlags.ToolDefaults());
    }

    [Test]
    public void EachFlagSetsItsField()
    {
        GanTrainer.Options o = Parse(AllFlags);
        Assert.That((o.Architecture, o.Loss, o.LatentDimension, o.Epochs, o.MaxSteps, o.BatchSize, o.DiscriminatorSteps),
            Is.EqualTo((GanArchitecture.Mlp, GanLoss.Hinge, 7, 3, (int?)9, 5, 2)));
        Assert.That((o.GeneratorLearningRate, o.DiscriminatorLearningRate, o.Beta1, o.Beta2, o.GradientPenaltyWeight, o.WeightClip),
            Is.EqualTo((0.001, 0.003, 0.1, 0.8, 4.0, (double?)0.05)));
        Assert.That((o.SpectralNormalization, o.Grayscale, o.Seed, o.LogEveryNSteps), Is.EqualTo((true, true, (int?)42, 3)));
        Assert.That((o.CheckpointDirectory, o.CheckpointEveryNSteps, o.KeepCheckpoints, o.ResumeFrom), Is.EqualTo(("ckpt", 11, 2, "ckpt/x.gancheckpoint")));
        Assert.That((o.GeneratorEmaDecay, o.GeneratorEmaWarmupSteps, o.DivergenceRollbacks, o.RollbackLearningRateFactor), Is.EqualTo(((double?)0.99, 13, 1, 0.25)));
        Assert.That((o.DataLoading, o.MaxInMemoryBytes, o.PrefetchBatches, o.ShufflePoolSize), Is.EqualTo((TrainingDataMode.Streaming, 1000L, 5, 17)));
        Assert.That(o.FiniteDivergence, Is.EqualTo(FiniteDivergenceHandling.Warning));
        Assert.That((o.Augmentation, o.R1Weight, o.R1Interval), Is.EqualTo(("color,cutout", (double?)2.5, 16)));
        Assert.That((o.AugmentationTarget, o.AugmentationAdjustmentImages), Is.EqualTo(((double?)0.7, 1234)));
    }

    [Test]
    public void EveryOptionsFieldHasAFlag()
    {
        // A field added to the options without a flag keeps its default here and fails this test.
        GanTrainer.Options defaults = GanTrainerFlags.ToolDefaults();
        GanTrainer.Options parsed = Parse(AllFlags);
        string[] notSet = typeof(GanTrainer.Options).GetFields(BindingFlags.Public | BindingFlags.Instance)
            .Where(field => field.Name is not nameof(GanTrainer.Options.ImageColumnName) and not nameof(GanTrainer.Options.ScoreColumnName)
                and not nameof(GanTrainer.Options.ProgressCallback))
            .Where(field => Equals(field.GetValue(defaults), field.GetValue(parsed)))
            .Select(field => field.Name)
            .ToArray();
        Assert.That(notSet, Is.Empty);
    }

    [Test]
    public void NoFlagsGiveTheToolDefaults()
    {
        GanTrainer.Options o = Parse();
        GanTrainer.Options d = GanTrainerFlags.ToolDefaults();
        Assert.That((o.Epochs, o.LogEveryNSteps, o.Seed, o.BatchSize, o.Loss, o.MaxSteps, o.WeightClip),
            Is.EqualTo((d.Epochs, d.LogEveryNSteps, d.Seed, d.BatchSize, d.Loss, d.MaxSteps, d.WeightClip)));
    }
}
