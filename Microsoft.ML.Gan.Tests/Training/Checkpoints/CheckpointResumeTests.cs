using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.Gan.Tests.TestData;
using Microsoft.ML.Gan.Tests.TestSupport;
using Microsoft.ML.Gan.Training.Checkpoints;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Training.Checkpoints;

/// <summary>
/// Resuming is exact: a run stopped part-way (killed, or ended by MaxSteps) and resumed ends with the same weights,
/// optimiser moments, moving average, random states and history as a run that never stopped. The final checkpoints of
/// both runs, which hold all of that, are compared byte for byte.
/// </summary>
[TestFixture]
public class CheckpointResumeTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder() => Directory.CreateDirectory(_folder = Path.Combine(Path.GetTempPath(), "gan-resume-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void RunKilledWithSigkillAndResumedEndsIdenticalToAnUninterruptedRun()
    {
        string uninterrupted = Path.Combine(_folder, "uninterrupted"), killed = Path.Combine(_folder, "killed");
        (List<float[]> images, IReadOnlyList<GanTrainingRecord> history) expected = Train(KilledTrainingProcess.Options(uninterrupted));

        // Killed at update 25: checkpoint 20 (mid-epoch: 8 batches per epoch) exists, updates 21-25 are lost.
        KilledTrainingProcess.TrainAndKill(killed, killAtStep: 25);
        Assert.That(Names(killed), Is.EqualTo(new[] { "checkpoint-00000010.gancheckpoint", "checkpoint-00000020.gancheckpoint" }));

        GanTrainer.Options resumed = KilledTrainingProcess.Options(killed);
        resumed.ResumeFrom = killed;
        (List<float[]> images, IReadOnlyList<GanTrainingRecord> history) actual = Train(resumed);

        Assert.That(CheckpointFile.Read(Newest(killed)), Is.EqualTo(CheckpointFile.Read(Newest(uninterrupted))), "final checkpoints differ");
        Assert.That(Path.GetFileName(Newest(killed)), Is.EqualTo("checkpoint-00000040.gancheckpoint"));
        Assert.That(actual.images, Is.EqualTo(expected.images));
        Assert.That(actual.history, Is.EqualTo(expected.history));
    }

    [Test]
    public void DcganWithBatchNormAndTwoCriticStepsResumesExactlyAfterMaxStepsEndedIt()
    {
        static GanTrainer.Options Options(string directory, int steps) => new()
        {
            Architecture = GanArchitecture.Dcgan, LatentDimension = 8, BatchSize = 24, Epochs = 100, MaxSteps = steps, DiscriminatorSteps = 2,
            LogEveryNSteps = 4, Seed = 3, CheckpointDirectory = directory, CheckpointEveryNSteps = 100,
        };
        string whole = Path.Combine(_folder, "whole"), parts = Path.Combine(_folder, "parts");
        (List<float[]> images, IReadOnlyList<GanTrainingRecord> history) expected = Train(Options(whole, 14));

        Train(Options(parts, 8)); // ends on a log point, so the histories agree too
        GanTrainer.Options rest = Options(parts, 14);
        rest.ResumeFrom = Newest(parts);
        (List<float[]> images, IReadOnlyList<GanTrainingRecord> history) actual = Train(rest);

        Assert.That(CheckpointFile.Read(Newest(parts)), Is.EqualTo(CheckpointFile.Read(Newest(whole))));
        Assert.That(actual.images, Is.EqualTo(expected.images));
        Assert.That(actual.history, Is.EqualTo(expected.history));
    }

    [Test]
    public void KeepsOnlyTheNewestCheckpointsAndResumingAFinishedRunChangesNothing()
    {
        GanTrainer.Options options = KilledTrainingProcess.Options(_folder);
        options.KeepCheckpoints = 2;
        (List<float[]> images, _) = Train(options);
        Assert.That(Names(_folder), Is.EqualTo(new[] { "checkpoint-00000030.gancheckpoint", "checkpoint-00000040.gancheckpoint" }));

        options.ResumeFrom = _folder;
        Assert.That(Train(options).Images, Is.EqualTo(images));
        Assert.That(Names(_folder), Has.Length.EqualTo(2));
    }

    internal static (List<float[]> Images, IReadOnlyList<GanTrainingRecord> History) Train(GanTrainer.Options options)
    {
        var mlContext = new MLContext(seed: 1);
        using GanTransformer model = mlContext.Gan().Trainers.Gan(options).Fit(KilledTrainingProcess.Data(mlContext));
        Assert.That(model.GeneratorEmaDecay, Is.EqualTo(options.GeneratorEmaDecay));
        return (GeneratedImages.ReadGray(model.Generate(16, seed: 3)), model.TrainingHistory);
    }

    internal static string Newest(string directory) => Directory.GetFiles(directory, "*.gancheckpoint").Max(StringComparer.Ordinal)!;

    // The checkpoints and their temporary files; the folder's lock files are not listed.
    internal static string[] Names(string directory) =>
        Directory.GetFiles(directory, "checkpoint-*").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;
}
