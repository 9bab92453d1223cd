using System;
using System.IO;
using System.Linq;
using Microsoft.ML.Gan.Tests.TestData;
using Microsoft.ML.Gan.Tests.TestSupport;
using Microsoft.ML.Gan.Training.Checkpoints;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Training.Checkpoints;

/// <summary>
/// Faults around checkpoints: each one is reported clearly, and no checkpoint already written is lost or damaged.
/// </summary>
[TestFixture]
public class CheckpointFaultTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder() => Directory.CreateDirectory(_folder = Path.Combine(Path.GetTempPath(), "gan-ckpt-faults-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private static GanTrainer.Options Options(string directory, int steps = 10) => new()
    {
        Architecture = GanArchitecture.Mlp, LatentDimension = 4, BatchSize = 16, Epochs = 100, MaxSteps = steps, Seed = 2,
        CheckpointDirectory = directory, CheckpointEveryNSteps = 5,
    };

    private static GanTransformer Fit(GanTrainer.Options options, MLContext? mlContext = null)
    {
        mlContext ??= new MLContext(seed: 1);
        return mlContext.Gan().Trainers.Gan(options).Fit(SyntheticModes.Create(mlContext, 64));
    }

    [Test]
    public void CheckpointDirectoryThatCannotBeCreatedFailsBeforeTraining()
    {
        // A folder under a regular file cannot be created, even by root (who ignores permission bits).
        string file = Path.Combine(_folder, "a-file");
        File.WriteAllText(file, "");
        int progressCalls = 0;
        GanTrainer.Options options = Options(Path.Combine(file, "checkpoints"));
        options.ProgressCallback = _ => progressCalls++;

        var error = Assert.Throws<ArgumentException>(() => Fit(options));
        Assert.That(error!.ParamName, Is.EqualTo(nameof(GanTrainer.Options.CheckpointDirectory)));
        Assert.That(error.Message, Does.Contain("not a writable folder").And.Contain(file));
        Assert.That(progressCalls, Is.Zero);
    }

    [Test]
    public void DiskFullWhileCheckpointingFailsClearlyAndKeepsThePreviousCheckpoint()
    {
        GanTrainer.Options options = Options(_folder);
        int opened = 0;
        options.OpenCheckpointFile = path => ++opened == 2
            ? new FaultyStream(CheckpointStore.CreateFile(path), limit: 20_000, () => throw new IOException("No space left on device"))
            : CheckpointStore.CreateFile(path);

        var error = Assert.Throws<IOException>(() => Fit(options));
        string first = Path.Combine(_folder, "checkpoint-00000005.gancheckpoint");
        Assert.That(error!.Message, Does.Contain("generator update 10").And.Contain("No space left on device").And.Contain(first));
        Assert.That(CheckpointResumeTests.Names(_folder), Is.EqualTo(new[] { "checkpoint-00000005.gancheckpoint" }));
        Assert.That(Directory.GetFiles(_folder, "*.tmp"), Is.Empty, "no temporary file may be left");
        Assert.DoesNotThrow(() => CheckpointFile.Read(first));
    }

    [Test]
    public void CancellingWhileACheckpointIsWrittenFinishesItAndStopsThere()
    {
        var mlContext = new MLContext(seed: 1);
        GanCatalog gan = mlContext.Gan();
        GanTrainer.Options options = Options(_folder, steps: 20);
        int opened = 0;
        options.OpenCheckpointFile = path => ++opened == 2
            ? new FaultyStream(CheckpointStore.CreateFile(path), limit: 20_000, gan.CancelExecution)
            : CheckpointStore.CreateFile(path);

        var error = Assert.Throws<OperationCanceledException>(() => Fit(options, mlContext));

        // The write the cancellation interrupted is finished, and it is the checkpoint the stopped run leaves.
        string interrupted = Path.Combine(_folder, "checkpoint-00000010.gancheckpoint");
        Assert.That(error!.Message, Does.Contain("cancelled at generator update 10 of 20").And.Contain(interrupted));
        Assert.That(CheckpointResumeTests.Names(_folder), Is.EqualTo(new[] { "checkpoint-00000005.gancheckpoint", "checkpoint-00000010.gancheckpoint" }));
        Assert.DoesNotThrow(() => CheckpointFile.Read(interrupted));
    }

    [Test]
    public void ResumingWithDifferentOptionsListsEveryMismatch()
    {
        Fit(Options(_folder)).Dispose();
        GanTrainer.Options changed = Options(_folder, steps: 20);
        changed.BatchSize = 8;
        changed.GeneratorLearningRate = 1e-3;
        changed.ResumeFrom = _folder;

        var error = Assert.Throws<ArgumentException>(() => Fit(changed));
        Assert.That(error!.ParamName, Is.EqualTo(nameof(GanTrainer.Options.ResumeFrom)));
        Assert.That(error.Message, Does.Contain("BatchSize: checkpoint 16, now 8").And.Contain("GeneratorLearningRate: checkpoint 0.0002, now 0.001"));
        Assert.That(error.Message, Does.Not.Contain("MaxSteps"), "MaxSteps may change on resume");
    }

    [Test]
    public void ResumingFromAModelZipSaysItIsNotACheckpoint()
    {
        var mlContext = new MLContext(seed: 1);
        string zip = Path.Combine(_folder, "model.zip");
        using (GanTransformer model = Fit(Options(Path.Combine(_folder, "checkpoints")), mlContext))
        {
            mlContext.Model.Save(model, null, zip);
        }
        GanTrainer.Options options = Options(Path.Combine(_folder, "checkpoints"));
        options.ResumeFrom = zip;

        var error = Assert.Throws<InvalidDataException>(() => Fit(options));
        Assert.That(error!.Message, Does.Contain(zip).And.Contain("zip").And.Contain("not a training checkpoint"));
    }

    [Test]
    public void CorruptNewestCheckpointIsReportedAndThePreviousOneIsUsed()
    {
        Fit(Options(_folder)).Dispose();
        string newest = Path.Combine(_folder, "checkpoint-00000010.gancheckpoint"), previous = Path.Combine(_folder, "checkpoint-00000005.gancheckpoint");
        byte[] bytes = File.ReadAllBytes(newest);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(newest, bytes);

        // Naming the damaged file: a clear error that offers the good one.
        GanTrainer.Options options = Options(_folder);
        options.ResumeFrom = newest;
        var error = Assert.Throws<InvalidDataException>(() => Fit(options));
        Assert.That(error!.Message, Does.Contain(newest).And.Contain("corrupt").And.Contain(previous));

        // Naming the folder: the previous checkpoint is used, with a warning, and training completes.
        var mlContext = new MLContext(seed: 1);
        var warnings = new System.Collections.Generic.List<string>();
        mlContext.Log += (_, e) => { if (e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Warning) warnings.Add(e.RawMessage); };
        options.ResumeFrom = _folder;
        using GanTransformer model = Fit(options, mlContext);
        Assert.That(warnings, Has.Some.Contain(newest).And.Some.Contain("Using '" + previous));
        Assert.That(model.TrainingHistory[^1].Step, Is.EqualTo(10));
    }

    [Test]
    public void TruncatedCheckpointIsReportedAsTruncated()
    {
        Fit(Options(_folder)).Dispose();
        string newest = Path.Combine(_folder, "checkpoint-00000010.gancheckpoint");
        using (var stream = new FileStream(newest, FileMode.Open))
        {
            stream.SetLength(stream.Length / 3);
        }
        GanTrainer.Options options = Options(_folder);
        options.ResumeFrom = newest;

        var error = Assert.Throws<InvalidDataException>(() => Fit(options));
        Assert.That(error!.Message, Does.Contain(newest).And.Contain("truncated").And.Contain("checkpoint-00000005.gancheckpoint"));
    }
}
