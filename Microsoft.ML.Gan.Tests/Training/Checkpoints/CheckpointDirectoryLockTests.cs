using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Microsoft.ML.Gan.Tests.TestSupport;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Training.Checkpoints;

/// <summary>
/// One run at a time trains into a checkpoint folder: a second one, in another process or in this one, is refused
/// naming the folder and the holder; the lock ends with Fit, however Fit ends, and with the holding process, even when
/// it is killed with SIGKILL.
/// </summary>
[TestFixture]
public class CheckpointDirectoryLockTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder() => Directory.CreateDirectory(_folder = Path.Combine(Path.GetTempPath(), "gan-ckpt-lock-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void FolderHeldByAnotherProcessIsRefusedAndFreedWhenThatProcessIsKilled()
    {
        string[] held;
        using (Process child = KilledTrainingProcess.StartAndWait(_folder, killAtStep: 25))
        {
            held = CheckpointResumeTests.Names(_folder);
            GanTrainer.Options resume = KilledTrainingProcess.Options(_folder);
            resume.ResumeFrom = _folder;
            int progressCalls = 0;
            resume.ProgressCallback = _ => progressCalls++;
            try
            {
                var error = Assert.Throws<InvalidOperationException>(() => CheckpointResumeTests.Train(resume));
                Assert.That(error!.Message, Does.Contain(_folder).And.Contain("in use by another training run").And.Contain($"process {child.Id} "));
                Assert.That(progressCalls, Is.Zero);
                Assert.That(CheckpointResumeTests.Names(_folder), Is.EqualTo(held));
            }
            finally
            {
                KilledTrainingProcess.Kill(child);
            }
        }
        Assert.That(held, Is.EqualTo(new[] { "checkpoint-00000010.gancheckpoint", "checkpoint-00000020.gancheckpoint" }));

        GanTrainer.Options options = KilledTrainingProcess.Options(_folder);
        options.ResumeFrom = _folder;
        CheckpointResumeTests.Train(options);
        Assert.That(Path.GetFileName(CheckpointResumeTests.Newest(_folder)), Is.EqualTo("checkpoint-00000040.gancheckpoint"));
    }

    [Test]
    public void SecondFitInTheSameProcessIsRefusedWhileTheFirstTrainsAndTheFolderIsFreedWhenItIsCancelled()
    {
        var mlContext = new MLContext(seed: 1);
        GanCatalog gan = mlContext.Gan();
        GanTrainer.Options first = KilledTrainingProcess.Options(_folder);
        InvalidOperationException? refused = null;
        first.ProgressCallback = progress =>
        {
            if (progress.Step == 15 && refused == null)
            {
                GanTrainer.Options second = KilledTrainingProcess.Options(_folder);
                second.ResumeFrom = _folder;
                refused = Assert.Throws<InvalidOperationException>(() => CheckpointResumeTests.Train(second));
                gan.CancelExecution();
            }
        };
        Assert.Throws<OperationCanceledException>(() => gan.Trainers.Gan(first).Fit(KilledTrainingProcess.Data(mlContext)).Dispose());
        Assert.That(refused!.Message, Does.Contain(_folder).And.Contain($"process {Environment.ProcessId} "));

        GanTrainer.Options resume = KilledTrainingProcess.Options(_folder);
        resume.ResumeFrom = _folder;
        Assert.That(CheckpointResumeTests.Train(resume).History.Select(record => record.Step).Last(), Is.EqualTo(40));
    }
}
