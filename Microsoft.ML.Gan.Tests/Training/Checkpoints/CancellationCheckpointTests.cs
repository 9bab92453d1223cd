using System;
using System.Collections.Generic;
using System.IO;
using Microsoft.ML.Gan.Tests.TestData;
using Microsoft.ML.Gan.Tests.TestSupport;
using Microsoft.ML.Gan.Training.Checkpoints;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Training.Checkpoints;

/// <summary>
/// <c>mlContext.CancelExecution()</c> (which the gan tool calls on SIGTERM and Ctrl+C) stops after the current generator
/// update and, with checkpoints on, writes a checkpoint of that update: a pre-empted run loses nothing.
/// </summary>
[TestFixture]
public class CancellationCheckpointTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder() => Directory.CreateDirectory(_folder = Path.Combine(Path.GetTempPath(), "gan-cancel-ckpt-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private static GanTrainer.Options Options(string directory, Action<GanTrainingProgress>? progress = null)
    {
        GanTrainer.Options options = KilledTrainingProcess.Options(directory, progress);
        options.CheckpointEveryNSteps = 100;
        options.DiscriminatorSteps = 2;
        return options;
    }

    [Test]
    public void CancellingWritesACheckpointOfTheLastUpdateThatResumesExactly()
    {
        string uninterrupted = Path.Combine(_folder, "uninterrupted"), cancelled = Path.Combine(_folder, "cancelled");
        (List<float[]> images, IReadOnlyList<GanTrainingRecord> history) expected = CheckpointResumeTests.Train(Options(uninterrupted));

        var mlContext = new MLContext(seed: 1);
        GanTrainer.Options stopping = Options(cancelled, progress =>
        {
            if (progress.Step == 13)
            {
                mlContext.Gan().CancelExecution();
            }
        });
        var error = Assert.Throws<OperationCanceledException>(() => mlContext.Gan().Trainers.Gan(stopping).Fit(KilledTrainingProcess.Data(mlContext)));

        string checkpoint = Path.Combine(cancelled, "checkpoint-00000013.gancheckpoint");
        Assert.That(CheckpointResumeTests.Names(cancelled), Is.EqualTo(new[] { "checkpoint-00000013.gancheckpoint" }));
        Assert.That(error!.Message, Does.Contain("cancelled at generator update 13 of 40").And.Contain(checkpoint));

        GanTrainer.Options resumed = Options(cancelled);
        resumed.ResumeFrom = cancelled;
        (List<float[]> images, IReadOnlyList<GanTrainingRecord> history) actual = CheckpointResumeTests.Train(resumed);
        Assert.That(CheckpointFile.Read(CheckpointResumeTests.Newest(cancelled)), Is.EqualTo(CheckpointFile.Read(CheckpointResumeTests.Newest(uninterrupted))));
        Assert.That(actual.images, Is.EqualTo(expected.images));
        Assert.That(actual.history, Is.EqualTo(expected.history));
    }

    [Test]
    public void CancellingWithoutCheckpointsWritesNothing()
    {
        var mlContext = new MLContext(seed: 1);
        GanTrainer.Options options = Options(_folder, progress =>
        {
            if (progress.Step == 3)
            {
                mlContext.Gan().CancelExecution();
            }
        });
        options.CheckpointDirectory = null;

        var error = Assert.Throws<OperationCanceledException>(() => mlContext.Gan().Trainers.Gan(options).Fit(KilledTrainingProcess.Data(mlContext)));

        Assert.That(error!.Message, Does.EndWith("cancelled at generator update 3 of 40 (epoch 1)."));
        Assert.That(Directory.GetFileSystemEntries(_folder), Is.Empty);
    }
}
