using System;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Cli;
using Microsoft.ML.Gan.Tests.TestData;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Cli;

/// <summary><c>gan train --checkpoint-dir DIR --resume</c> and <c>gan generate --start-index</c>.</summary>
[TestFixture]
public class CheckpointCliTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder() => Directory.CreateDirectory(_folder = Path.Combine(Path.GetTempPath(), "gan-cli-ckpt-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private static CliResult Run(params string[] args) => CliRunner.Run(args);

    private CliResult Train(int steps, params string[] extra) =>
        Run(new[] { "train", "--architecture", "Mlp", "--max-steps", steps.ToString(), "--batch-size", "16", "--log-every", "1", "--output", _folder,
            "--checkpoint-dir", Path.Combine(_folder, "ckpt"), "--checkpoint-every", "2" }.Concat(extra).ToArray());

    [Test]
    public void TrainResumesFromTheCheckpointFolderThenGeneratesShards()
    {
        var first = Train(4);
        Assert.That(first.ExitCode, Is.Zero, first.Error);
        Assert.That(Directory.GetFiles(Path.Combine(_folder, "ckpt"), "checkpoint-*").Select(Path.GetFileName),
            Is.EquivalentTo(new[] { "checkpoint-00000002.gancheckpoint", "checkpoint-00000004.gancheckpoint" }));

        var resumed = Train(6, "--resume");
        Assert.That(resumed.ExitCode, Is.Zero, resumed.Error);
        Assert.That(resumed.Output, Does.Contain("Resumed from").And.Contain("generator update 4").And.Contain("step 6/6"));
        Assert.That(resumed.Output, Does.Not.Contain("step 3/6"), "updates before the checkpoint are not trained again");

        string model = Path.Combine(_folder, "model.zip"), whole = Path.Combine(_folder, "whole"), shard = Path.Combine(_folder, "shard");
        Assert.That(Run("generate", "--model", model, "--count", "8", "--seed", "5", "--out", whole).ExitCode, Is.Zero);
        var sharded = Run("generate", "--model", model, "--count", "3", "--seed", "5", "--start-index", "5", "--out", shard);
        Assert.That(sharded.ExitCode, Is.Zero, sharded.Error);
        Assert.That(Directory.GetFiles(shard).Select(Path.GetFileName), Is.EquivalentTo(new[] { "image_00005.png", "image_00006.png", "image_00007.png", "gan-generate.json" }));
        foreach (string name in Directory.GetFiles(shard, "*.png").Select(file => Path.GetFileName(file)))
        {
            using MLImage fromShard = MLImage.CreateFromFile(Path.Combine(shard, name));
            using MLImage fromWhole = MLImage.CreateFromFile(Path.Combine(whole, name));
            Assert.That(GeneratedImages.ToGray(fromShard), Is.EqualTo(GeneratedImages.ToGray(fromWhole)), name);
        }
    }

    [Test]
    public void TrainingAgainIntoTheSameFolderWithoutResumeIsRefusedAndKeepsItsCheckpoints()
    {
        var first = Train(4);
        Assert.That(first.ExitCode, Is.Zero, first.Error);
        string folder = Path.Combine(_folder, "ckpt");
        var before = Directory.GetFiles(folder, "checkpoint-*").ToDictionary(file => file, File.ReadAllBytes);

        var second = Train(6);
        Assert.That(second.ExitCode, Is.EqualTo(ExitCodes.BadArguments));
        Assert.That(second.Error, Does.Contain(folder).And.Contain("another run, up to generator update 4").And.Contain("--resume"));
        Assert.That(second.Output, Does.Not.Contain("step 1/6"), "refused before training");
        Assert.That(Directory.GetFiles(folder, "checkpoint-*").ToDictionary(file => file, File.ReadAllBytes), Is.EqualTo(before));
    }

    [Test]
    public void ResumeWithoutACheckpointFolderIsABadArgument()
    {
        var result = Run("train", "--resume", "--output", _folder);
        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.BadArguments));
        Assert.That(result.Error, Does.Contain("--resume needs --checkpoint-dir"));
    }
}
