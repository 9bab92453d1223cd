using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.Gan.Tests.TestData;
using Microsoft.ML.Gan.Training.Checkpoints;
using NUnit.Framework;
using static Microsoft.ML.Gan.Tests.Training.Checkpoints.CheckpointResumeTests;

namespace Microsoft.ML.Gan.Tests.Training;

/// <summary>
/// Augmentation and R1 on every trainer: they train, they change the run, and a run stopped part-way and resumed ends
/// byte for byte where an uninterrupted one does — their random draws and the lazy R1 schedule come back exactly.
/// </summary>
[TestFixture]
public class AugmentationAndR1TrainingTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder() => Directory.CreateDirectory(_folder = Path.Combine(Path.GetTempPath(), "gan-augment-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    // Stopped after 3 updates: update 3 is an odd discriminator update, so the lazy R1 (every 2) resumes mid-interval.
    [TestCase("gan")]
    [TestCase("conditional")]
    [TestCase("ogan")]
    public void RunWithAugmentationAndLazyR1ResumesExactly(string trainer)
    {
        string whole = Path.Combine(_folder, "whole"), parts = Path.Combine(_folder, "parts");
        (byte[] images, IReadOnlyList<GanTrainingRecord> history) expected = Train(trainer, whole, steps: 6, resumeFrom: null);

        Train(trainer, parts, steps: 3, resumeFrom: null);
        (byte[] images, IReadOnlyList<GanTrainingRecord> history) actual = Train(trainer, parts, steps: 6, resumeFrom: Newest(parts));

        Assert.That(CheckpointFile.Read(Newest(parts)), Is.EqualTo(CheckpointFile.Read(Newest(whole))), "final checkpoints differ");
        Assert.That(actual.images, Is.EqualTo(expected.images));
        Assert.That(actual.history, Is.EqualTo(expected.history));
        Assert.That(expected.history.All(record => float.IsFinite(record.DiscriminatorLoss) && float.IsFinite(record.GeneratorLoss)), Is.True);
    }

    // ADA's p is part of the run's state: the checkpoint holds it and a resume continues from it. A fast discriminator
    // and a short adjustment make p move within a few updates.
    [TestCase("gan")]
    [TestCase("conditional")]
    [TestCase("ogan")]
    public void RunWithAdaptiveAugmentationResumesExactlyWithItsProbability(string trainer)
    {
        static void Adaptive(GanTrainer.Options o)
        {
            (o.Loss, o.AugmentationTarget, o.AugmentationAdjustmentImages, o.DiscriminatorLearningRate) = (GanLoss.NonSaturating, 0.2, 40, 0.01);
            (o.R1Weight, o.LogEveryNSteps) = (null, 1);
        }
        string whole = Path.Combine(_folder, "whole"), parts = Path.Combine(_folder, "parts");
        (byte[] images, IReadOnlyList<GanTrainingRecord> history) expected = Train(trainer, whole, steps: 6, resumeFrom: null, Adaptive);

        Train(trainer, parts, steps: 3, resumeFrom: null, Adaptive);
        double? stopped = ReadCheckpoint(Newest(parts)).AugmentationProbability;
        (byte[] images, IReadOnlyList<GanTrainingRecord> history) actual = Train(trainer, parts, steps: 6, resumeFrom: Newest(parts), Adaptive);

        Assert.That(stopped, Is.GreaterThan(0), "p moved before the stop, so the resume depends on restoring it");
        Assert.That(ReadCheckpoint(Newest(whole)).AugmentationProbability, Is.Not.EqualTo(stopped), "p kept moving after the stop");
        Assert.That(CheckpointFile.Read(Newest(parts)), Is.EqualTo(CheckpointFile.Read(Newest(whole))), "final checkpoints differ");
        Assert.That(actual.images, Is.EqualTo(expected.images));
        Assert.That(actual.history, Is.EqualTo(expected.history));
    }

    [Test]
    public void AdaptiveAugmentationChangesTheTrainingAndTheLogReportsItsProbability()
    {
        var mlContext = new MLContext(seed: 1);
        var lines = new List<string>();
        mlContext.Log += (_, e) => lines.Add(e.RawMessage);
        IDataView data = SyntheticModes.Create(mlContext, 64);
        IReadOnlyList<GanTrainingRecord> History(double? target)
        {
            var options = new GanTrainer.Options
            {
                Architecture = GanArchitecture.Dcgan, LatentDimension = 8, BatchSize = 16, MaxSteps = 4, LogEveryNSteps = 1, Seed = 3,
                Augmentation = "translation,cutout", AugmentationTarget = target, AugmentationAdjustmentImages = 64, DiscriminatorLearningRate = 0.01,
            };
            using GanTransformer model = mlContext.Gan().Trainers.Gan(options).Fit(data);
            return model.TrainingHistory;
        }

        IReadOnlyList<GanTrainingRecord> always = History(null);
        Assert.That(lines.Where(line => line.Contains("augment p")), Is.Empty, "a fixed augmentation has no p to report");
        IReadOnlyList<GanTrainingRecord> adaptive = History(0.2);

        Assert.That(adaptive, Is.Not.EqualTo(always));
        string[] reported = lines.Where(line => line.Contains("augment p")).ToArray();
        Assert.That(reported, Has.Length.EqualTo(4));
        Assert.That(reported[0], Does.EndWith("augment p 0.000").Or.EndWith("augment p 0.250"), "one update of 16 images over 64 moves p by 0.25");
        Assert.That(lines, Has.Some.Contain("adaptive: p from 0 toward r = 0.2, 0 to 1 in 64 images"));
    }

    // Each option reaches the game: with the same seed, the losses of the first updates differ with it and without it.
    [Test]
    public void AugmentationAndR1EachChangeTheTraining()
    {
        var mlContext = new MLContext(seed: 1);
        IDataView data = SyntheticModes.Create(mlContext, 64);
        IReadOnlyList<GanTrainingRecord> History(Action<GanTrainer.Options> configure)
        {
            var options = new GanTrainer.Options { Architecture = GanArchitecture.Dcgan, LatentDimension = 8, BatchSize = 16, MaxSteps = 4, LogEveryNSteps = 1, Seed = 3 };
            configure(options);
            using GanTransformer model = mlContext.Gan().Trainers.Gan(options).Fit(data);
            return model.TrainingHistory;
        }

        IReadOnlyList<GanTrainingRecord> plain = History(_ => { });
        Assert.That(History(_ => { }), Is.EqualTo(plain), "the same options train the same way");
        Assert.That(History(o => o.Augmentation = "translation"), Is.Not.EqualTo(plain));
        Assert.That(History(o => o.Augmentation = "cutout"), Is.Not.EqualTo(History(o => o.Augmentation = "translation")));
        IReadOnlyList<GanTrainingRecord> r1 = History(o => o.R1Weight = 1);
        Assert.That(r1, Is.Not.EqualTo(plain));
        Assert.That(History(o => (o.R1Weight, o.R1Interval) = (1, 4)), Is.Not.EqualTo(r1));
    }

    [Test]
    public void ResumeWithAnotherR1WeightOrAugmentationIsRefusedNamingIt()
    {
        Train("gan", _folder, steps: 2, resumeFrom: null);
        var error = Assert.Throws<ArgumentException>(() => Train("gan", _folder, steps: 4, resumeFrom: _folder, o => o.R1Weight = 2));
        Assert.That(error!.Message, Does.Contain("R1Weight: checkpoint 1, now 2"));
        error = Assert.Throws<ArgumentException>(() => Train("gan", _folder, steps: 4, resumeFrom: _folder, o => o.Augmentation = "color"));
        Assert.That(error!.Message, Does.Contain("Augmentation: checkpoint color,translation,cutout, now color"));
    }

    private static TrainingCheckpoint ReadCheckpoint(string path) =>
        TrainingCheckpoint.Read(new BinaryReader(new MemoryStream(CheckpointFile.Read(path))), path);

    private static (byte[] Images, IReadOnlyList<GanTrainingRecord> History) Train(string trainer, string directory, int steps, string? resumeFrom,
        Action<GanTrainer.Options>? change = null)
    {
        var mlContext = new MLContext(seed: 1);
        void Common(GanTrainer.Options options)
        {
            options.Architecture = GanArchitecture.Dcgan;
            options.LatentDimension = 6;
            options.BatchSize = 8;
            options.Epochs = 100;
            options.MaxSteps = steps;
            options.LogEveryNSteps = 3;
            options.Seed = 4;
            options.CheckpointDirectory = directory;
            options.CheckpointEveryNSteps = 100;
            options.ResumeFrom = resumeFrom;
            options.Augmentation = "color,translation,cutout";
            options.R1Weight = 1;
            options.R1Interval = 2;
            change?.Invoke(options);
        }
        GanTransformerBase model;
        switch (trainer)
        {
            case "gan":
                var plain = new GanTrainer.Options();
                Common(plain);
                model = mlContext.Gan().Trainers.Gan(plain).Fit(SyntheticModes.Create(mlContext, 32));
                break;
            case "conditional":
                var conditional = new ConditionalGanTrainer.Options { Conditioning = ConditioningMethod.ProjectionAndAuxiliaryClassifier };
                Common(conditional);
                model = mlContext.Gan().Trainers.ConditionalGan(conditional).Fit(SyntheticModes.CreateLabelled(mlContext, 32));
                break;
            default:
                var ogan = new OGanTrainer.Options();
                Common(ogan);
                model = mlContext.Gan().Trainers.OGan(ogan).Fit(SyntheticModes.Create(mlContext, 32));
                break;
        }
        using (model)
        {
            return (EarlierVersionFixtures.Generated(model), model.TrainingHistory);
        }
    }
}
