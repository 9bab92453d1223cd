using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.Gan.Tests.TestData;
using Microsoft.ML.Gan.Training.Checkpoints;
using Microsoft.ML.Runtime;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Training.Checkpoints;

/// <summary>
/// A checkpoint folder belongs to one run: a checkpoint records its run's settings, seed and data, a new run refuses a
/// folder that already holds checkpoints, a resume refuses other data, pruning keeps what was just written and never
/// touches another run's files, and checkpoints from before the identity was recorded still resume.
/// </summary>
[TestFixture]
public class CheckpointRunIdentityTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder() => Directory.CreateDirectory(_folder = Path.Combine(Path.GetTempPath(), "gan-ckpt-run-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private static GanTrainer.Options Options(string directory, int steps = 10, int seed = 2) => new()
    {
        Architecture = GanArchitecture.Mlp, LatentDimension = 4, BatchSize = 16, Epochs = 100, MaxSteps = steps, Seed = seed,
        CheckpointDirectory = directory, CheckpointEveryNSteps = 5, LogEveryNSteps = 5,
    };

    private static GanTransformer Fit(GanTrainer.Options options, int dataSeed = 7, MLContext? mlContext = null)
    {
        mlContext ??= new MLContext(seed: 1);
        return mlContext.Gan().Trainers.Gan(options).Fit(SyntheticModes.Create(mlContext, 64, dataSeed));
    }

    // Every checkpoint's name and bytes: what a refused run must leave exactly as it was.
    private static Dictionary<string, byte[]> Snapshot(string directory) =>
        Directory.GetFiles(directory, "checkpoint-*").ToDictionary(file => Path.GetFileName(file), File.ReadAllBytes);

    [TestCase(2, TestName = "NewRunWithTheSameOptionsRefusesAFolderThatHoldsCheckpoints")]
    [TestCase(3, TestName = "NewRunWithAnotherSeedRefusesAFolderThatHoldsCheckpoints")]
    public void NewRunRefusesAFolderThatHoldsCheckpoints(int seed)
    {
        Fit(Options(_folder)).Dispose();
        Dictionary<string, byte[]> before = Snapshot(_folder);
        GanTrainer.Options second = Options(_folder, seed: seed);
        int progressCalls = 0;
        second.ProgressCallback = _ => progressCalls++;

        var error = Assert.Throws<ArgumentException>(() => Fit(second));
        Assert.That(error!.ParamName, Is.EqualTo(nameof(GanTrainer.Options.CheckpointDirectory)));
        Assert.That(error.Message, Does.Contain(_folder).And.Contain("checkpoints of another run, up to generator update 10")
            .And.Contain("ResumeFrom").And.Contain("--resume").And.Contain("empty folder"));
        Assert.That(progressCalls, Is.Zero, "no training step before the refusal");
        Assert.That(Snapshot(_folder), Is.EqualTo(before));

        // The folder still continues its own run: resuming it trains from update 10 on, with that run's seed.
        GanTrainer.Options resume = Options(_folder, steps: 15);
        resume.ResumeFrom = _folder;
        using GanTransformer model = Fit(resume);
        Assert.That(model.TrainingHistory.Select(record => record.Step), Is.EqualTo(new[] { 5, 10, 15 }));
    }

    [Test]
    public void ResumeFromAnEmptyFolderRefusesACheckpointDirectoryOfAnotherRun()
    {
        string other = Path.Combine(_folder, "other"), empty = Path.Combine(_folder, "empty");
        Fit(Options(other)).Dispose();
        Directory.CreateDirectory(empty);
        Dictionary<string, byte[]> before = Snapshot(other);
        GanTrainer.Options options = Options(other);
        options.ResumeFrom = empty;

        var error = Assert.Throws<ArgumentException>(() => Fit(options));
        Assert.That(error!.Message, Does.Contain(other).And.Contain("up to generator update 10").And.Contain($"ResumeFrom '{empty}' holds none"));
        Assert.That(Snapshot(other), Is.EqualTo(before));
    }

    [Test]
    public void ResumeIntoAFolderThatHoldsAnotherRunsCheckpointsRefuses()
    {
        string mine = Path.Combine(_folder, "mine"), theirs = Path.Combine(_folder, "theirs");
        Fit(Options(mine, steps: 5)).Dispose();
        Fit(Options(theirs, seed: 3)).Dispose();
        Dictionary<string, byte[]> before = Snapshot(theirs);
        GanTrainer.Options options = Options(theirs);
        options.ResumeFrom = Path.Combine(mine, "checkpoint-00000005.gancheckpoint");

        var error = Assert.Throws<ArgumentException>(() => Fit(options));
        Assert.That(error!.ParamName, Is.EqualTo(nameof(GanTrainer.Options.CheckpointDirectory)));
        Assert.That(error.Message, Does.Contain(theirs).And.Contain("another run, up to generator update 10").And.Contain(options.ResumeFrom));
        Assert.That(Snapshot(theirs), Is.EqualTo(before));
    }

    [TestCase(TrainingDataMode.InMemory)]
    [TestCase(TrainingDataMode.Streaming)]
    public void ResumeWithOtherPixelsOfTheSameCountAndShapeRefuses(TrainingDataMode mode)
    {
        GanTrainer.Options first = Options(_folder, steps: 5);
        first.DataLoading = mode;
        Fit(first).Dispose();
        Dictionary<string, byte[]> before = Snapshot(_folder);
        GanTrainer.Options resume = Options(_folder);
        (resume.DataLoading, resume.ResumeFrom) = (mode, _folder);
        int progressCalls = 0;
        resume.ProgressCallback = _ => progressCalls++;

        var error = Assert.Throws<ArgumentException>(() => Fit(resume, dataSeed: 8));
        Assert.That(error!.ParamName, Is.EqualTo(nameof(GanTrainer.Options.ResumeFrom)));
        Assert.That(error.Message, Does.Contain("checkpoint-00000005.gancheckpoint").And.Contain("other data of the same count and shape")
            .And.Contain("the training images' pixels (or their row order) differ"));
        Assert.That(error.Message, Does.Not.Contain("labels"));
        Assert.That(progressCalls, Is.Zero);
        Assert.That(Snapshot(_folder), Is.EqualTo(before));
    }

    [TestCase(TrainingDataMode.InMemory)]
    [TestCase(TrainingDataMode.Streaming)]
    public void ResumeWithOtherLabelsForTheSameImagesRefusesNamingTheLabels(TrainingDataMode mode)
    {
        ConditionalGanTrainer.Options Options(string directory, int steps) => new()
        {
            Architecture = GanArchitecture.Mlp, LatentDimension = 4, BatchSize = 16, Epochs = 100, MaxSteps = steps, Seed = 2,
            CheckpointDirectory = directory, CheckpointEveryNSteps = 5, DataLoading = mode,
        };
        static IDataView Data(MLContext mlContext, bool swapLastLabels)
        {
            List<LabelledModes.Row> rows = LabelledModes.Rows(64, seed: 7);
            if (swapLastLabels)
            {
                (rows[^1].Label, rows[^2].Label) = (rows[^2].Label, rows[^1].Label);
            }
            IDataView view = LabelledModes.View(mlContext, rows);
            return mlContext.Transforms.Conversion.MapValueToKey(nameof(LabelledModes.Row.Label)).Fit(view).Transform(view);
        }
        var mlContext = new MLContext(seed: 1);
        mlContext.Gan().Trainers.ConditionalGan(Options(_folder, 5)).Fit(Data(mlContext, false)).Dispose();
        ConditionalGanTrainer.Options resume = Options(_folder, 10);
        resume.ResumeFrom = _folder;

        var error = Assert.Throws<ArgumentException>(() => mlContext.Gan().Trainers.ConditionalGan(resume).Fit(Data(mlContext, true)));
        Assert.That(error!.Message, Does.Contain("the class labels differ").And.Not.Contain("images' pixels"));
    }

    /// <remarks>
    /// Before this rule, pruning kept the newest K by step over the whole folder: a run writing update 5 into a folder
    /// that held another run's update 10, with K = 1, deleted its own checkpoint at once. The store is driven directly,
    /// since Fit refuses such a folder up front, and given a relative path, as the CLI's users type them.
    /// </remarks>
    [Test]
    public void PruningKeepsTheCheckpointJustWrittenAndNeverDeletesAnotherRunsCheckpoints()
    {
        string mine = Path.Combine(_folder, "mine"), theirs = Path.Combine(_folder, "theirs");
        Fit(Options(mine, steps: 5)).Dispose();
        Fit(Options(theirs, seed: 3)).Dispose();
        TrainingCheckpoint checkpoint = Read(Path.Combine(mine, "checkpoint-00000005.gancheckpoint"));
        File.Delete(Path.Combine(theirs, "checkpoint-00000005.gancheckpoint"));
        string myOlder = Path.Combine(theirs, "checkpoint-00000001.gancheckpoint");
        File.Copy(Path.Combine(mine, "checkpoint-00000005.gancheckpoint"), myOlder);

        var store = new CheckpointStore(Path.GetRelativePath(Environment.CurrentDirectory, theirs), keep: 1, CheckpointStore.CreateFile);
        string written = store.Save(checkpoint);

        Assert.That(CheckpointResumeTests.Names(theirs), Is.EqualTo(new[] { "checkpoint-00000005.gancheckpoint", "checkpoint-00000010.gancheckpoint" }),
            "the checkpoint just written and the other run's stay; this run's older one goes");
        Assert.That(Read(written).Identity.Seed, Is.EqualTo(2));
        Assert.That(Read(Path.Combine(theirs, "checkpoint-00000010.gancheckpoint")).Identity.Seed, Is.EqualTo(3));
    }

    [Test]
    public void CheckpointRecordsTheSeedAndAFingerprintOfTheData()
    {
        string a = Path.Combine(_folder, "a"), b = Path.Combine(_folder, "b"), c = Path.Combine(_folder, "c");
        Fit(Options(a, steps: 5)).Dispose();
        Fit(Options(b, steps: 5), dataSeed: 8).Dispose();
        Fit(Options(c, steps: 5, seed: 4)).Dispose();
        RunIdentity first = Read(Path.Combine(a, "checkpoint-00000005.gancheckpoint")).Identity;
        RunIdentity otherData = Read(Path.Combine(b, "checkpoint-00000005.gancheckpoint")).Identity;
        RunIdentity otherSeed = Read(Path.Combine(c, "checkpoint-00000005.gancheckpoint")).Identity;

        Assert.That(first.Seed, Is.EqualTo(2));
        Assert.That(first.Data!.Images, Has.Length.EqualTo(64), "a SHA-256 in hex");
        Assert.That(first.Data.Labels, Is.Null);
        Assert.That(otherData.Data!.Images, Is.Not.EqualTo(first.Data.Images));
        Assert.That((otherSeed.Seed, otherSeed.Data), Is.EqualTo((4, first.Data)));
        Assert.That(otherData.IsOf(first) || otherSeed.IsOf(first), Is.False);
    }

    /// <remarks>
    /// Payload version 1 is version 3 without the seed and the data fingerprint after the settings and without the
    /// adaptive augmentation probability at the end. Resuming one checks
    /// the settings only, warns that the data is not checked, and still ends bit for bit where the uninterrupted run does.
    /// </remarks>
    [Test]
    public void CheckpointOfPayloadVersionOneResumesWithAWarningAndExactly()
    {
        string whole = Path.Combine(_folder, "whole"), parts = Path.Combine(_folder, "parts"), old = Path.Combine(_folder, "old");
        Fit(Options(whole)).Dispose();
        Fit(Options(parts, steps: 5)).Dispose();
        Directory.CreateDirectory(old);
        string formatOne = Path.Combine(old, "checkpoint-00000005.gancheckpoint");
        using (FileStream stream = File.Create(formatOne))
        {
            CheckpointFile.Write(stream, ToPayloadVersionOne(CheckpointFile.Read(Path.Combine(parts, "checkpoint-00000005.gancheckpoint"))));
        }
        Assert.That(Read(formatOne).Identity.Data, Is.Null);

        var mlContext = new MLContext(seed: 1);
        var warnings = new List<string>();
        mlContext.Log += (_, e) => { if (e.Kind == ChannelMessageKind.Warning) warnings.Add(e.RawMessage); };
        GanTrainer.Options resume = Options(old);
        resume.ResumeFrom = old;
        Fit(resume, mlContext: mlContext).Dispose();

        Assert.That(warnings, Has.Some.Contain(formatOne).And.Some.Contain("is not checked"));
        Assert.That(CheckpointFile.Read(Path.Combine(old, "checkpoint-00000010.gancheckpoint")),
            Is.EqualTo(CheckpointFile.Read(Path.Combine(whole, "checkpoint-00000010.gancheckpoint"))));
    }

    private static TrainingCheckpoint Read(string path) =>
        TrainingCheckpoint.Read(new BinaryReader(new MemoryStream(CheckpointFile.Read(path))), path);

    private static byte[] ToPayloadVersionOne(byte[] payload)
    {
        using var reader = new BinaryReader(new MemoryStream(payload));
        Assert.That(reader.ReadInt32(), Is.EqualTo(3));
        var output = new MemoryStream();
        using var writer = new BinaryWriter(output);
        writer.Write(1);
        int settings = reader.ReadInt32();
        writer.Write(settings);
        for (int i = 0; i < 2 * settings; i++)
        {
            writer.Write(reader.ReadString());
        }
        reader.ReadBoolean();
        reader.ReadInt32();
        if (reader.ReadBoolean())
        {
            reader.ReadString();
            reader.ReadString();
        }
        const int augmentationProbability = sizeof(bool) + sizeof(double);
        writer.Write(reader.ReadBytes(payload.Length - augmentationProbability - (int)reader.BaseStream.Position));
        writer.Flush();
        return output.ToArray();
    }
}
