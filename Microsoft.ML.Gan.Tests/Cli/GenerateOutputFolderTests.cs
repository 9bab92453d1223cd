using System;
using System.IO;
using System.Linq;
using Microsoft.ML.Gan.Cli;
using Microsoft.ML.Gan.Tests.TestData;
using Microsoft.ML.Gan.Tests.TestSupport;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Cli;

/// <summary>
/// What <c>gan generate</c> refuses before it writes an image: an output folder holding another run's images (unless
/// --overwrite), an index range past the last index, more images than the disk holds; and what --skip-existing keeps.
/// </summary>
[TestFixture]
public class GenerateOutputFolderTests
{
    private static string _models = null!;
    private static string _model = null!;
    private string _folder = null!;

    [OneTimeSetUp]
    public void SaveModel()
    {
        Directory.CreateDirectory(_models = Path.Combine(Path.GetTempPath(), "gan-generate-models-" + Guid.NewGuid().ToString("N")));
        _model = GenerationModelFiles.Save(Path.Combine(_models, "model.zip"));
    }

    [OneTimeTearDown]
    public void DeleteModels() => Directory.Delete(_models, recursive: true);

    [SetUp]
    public void CreateFolder() => Directory.CreateDirectory(_folder = Path.Combine(Path.GetTempPath(), "gan-generate-folder-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private static CliResult Generate(string output, params string[] extra) =>
        CliRunner.Run(new[] { "generate", "--model", _model, "--progress", "none", "--output", output }.Concat(extra.Contains("--count") ? extra : extra.Append("--count").Append("5")).ToArray());

    [Test]
    public void AFolderOfAnotherSeedIsRefusedUnlessOverwriteWhichReplacesItsImages()
    {
        string output = Path.Combine(_folder, "out"), expected = Path.Combine(_folder, "expected");
        Assert.That(Generate(output, "--seed", "1").ExitCode, Is.Zero);
        var before = GenerationModelFiles.Contents(output);

        CliResult refused = Generate(output, "--seed", "2", "--count", "3");

        Assert.That(refused.ExitCode, Is.EqualTo(ExitCodes.BadArguments), refused.ToString());
        Assert.That(refused.Error, Does.Contain("holds images of seed 1 (this run: 2)").And.Contain("--overwrite"));
        Assert.That(GenerationModelFiles.Contents(output), Is.EqualTo(before), "nothing was written or deleted");

        CliResult overwritten = Generate(output, "--seed", "2", "--count", "3", "--overwrite");
        Assert.That(overwritten.ExitCode, Is.Zero, overwritten.ToString());
        Assert.That(Generate(expected, "--seed", "2", "--count", "3").ExitCode, Is.Zero);
        Assert.That(GenerationModelFiles.Contents(output), Is.EqualTo(GenerationModelFiles.Contents(expected)), "only the new run's images are left");
    }

    [Test]
    public void AFolderOfAnotherModelOrTruncationIsRefused()
    {
        string output = Path.Combine(_folder, "out");
        Assert.That(Generate(output).ExitCode, Is.Zero);
        string otherModel = GenerationModelFiles.Save(Path.Combine(_folder, "other.zip"), seed: 6);

        CliResult model = CliRunner.Run("generate", "--model", otherModel, "--count", "5", "--output", output);
        CliResult truncation = Generate(output, "--truncation", "0.5", "--skip-existing");

        Assert.That(model.ExitCode, Is.EqualTo(ExitCodes.BadArguments), model.ToString());
        Assert.That(model.Error, Does.Contain("holds images of a model with SHA-256"));
        Assert.That(truncation.ExitCode, Is.EqualTo(ExitCodes.BadArguments), truncation.ToString());
        Assert.That(truncation.Error, Does.Contain("truncation none (this run: 0.5)"));
    }

    [Test]
    public void ImagesWithoutAManifestAreRefusedUnlessOverwrite()
    {
        string output = Path.Combine(_folder, "out");
        Directory.CreateDirectory(output);
        File.WriteAllBytes(Path.Combine(output, "image_00003.png"), new byte[] { 1, 2, 3 });

        CliResult refused = Generate(output);
        CliResult overwritten = Generate(output, "--overwrite");

        Assert.That(refused.ExitCode, Is.EqualTo(ExitCodes.BadArguments), refused.ToString());
        Assert.That(refused.Error, Does.Contain("holds image_*.png files but no gan-generate.json"));
        Assert.That(overwritten.ExitCode, Is.Zero, overwritten.ToString());
        Assert.That(Directory.GetFiles(output, "*.png"), Has.Length.EqualTo(5));
    }

    [Test]
    public void SkipExistingWritesOnlyTheMissingImagesAndLeavesTheOthersUntouched()
    {
        string output = Path.Combine(_folder, "out");
        Assert.That(Generate(output, "--count", "10").ExitCode, Is.Zero);
        var whole = GenerationModelFiles.Contents(output);
        File.Delete(Path.Combine(output, "image_00002.png"));
        File.Delete(Path.Combine(output, "image_00007.png"));
        var untouched = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        foreach (string kept in Directory.GetFiles(output, "*.png"))
        {
            File.SetLastWriteTimeUtc(kept, untouched);
        }

        CliResult continued = Generate(output, "--count", "10", "--skip-existing");

        Assert.That(continued.ExitCode, Is.Zero, continued.ToString());
        Assert.That(continued.Output, Does.Contain("Wrote 2 images").And.Contain("8 were already there"));
        Assert.That(GenerationModelFiles.Contents(output), Is.EqualTo(whole));
        Assert.That(Directory.GetFiles(output, "*.png").Count(file => File.GetLastWriteTimeUtc(file) == untouched), Is.EqualTo(8), "kept files were not rewritten");
    }

    [TestCase("-1", "5", "--start-index must be ≥ 0; got -1.")]
    [TestCase("9223372036854775805", "5", "--start-index 9223372036854775805 with --count 5 runs past the last image index there is (9223372036854775807); the largest start for this count is 9223372036854775802.")]
    [TestCase("0", "-3", "--count must be ≥ 0; got -3.")]
    public void AnImpossibleIndexRangeIsRefusedBeforeAnythingIsWritten(string startIndex, string count, string message)
    {
        string output = Path.Combine(_folder, "out");

        CliResult result = CliRunner.Run("generate", "--model", _model, "--start-index", startIndex, "--count", count, "--output", output);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.BadArguments), result.ToString());
        Assert.That(result.Error, Is.EqualTo($"gan: {message}{Environment.NewLine}"));
        Assert.That(Directory.Exists(output), Is.False);
    }

    [Test]
    public void MoreImagesThanTheDiskHoldsAreRefusedNamingBothSizes()
    {
        using MountedTmpfs disk = MountedTmpfs.Mount("size=256k");
        string output = Path.Combine(disk.Path, "out");

        CliResult result = Generate(output, "--count", "1000");

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.BadArguments), result.ToString());
        Assert.That(result.Error, Does.Contain("--count: 1000 images need about 3.9 MiB on disk (4.0 KiB each: one sample encodes to")
            .And.Contain("has 256.0 KiB free"));
        Assert.That(Directory.GetFiles(output), Is.Empty, "no image and no manifest were written");
    }
}
