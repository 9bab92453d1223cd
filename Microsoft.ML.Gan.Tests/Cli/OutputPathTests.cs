using System;
using System.IO;
using System.Linq;
using Microsoft.ML.Gan.Cli;
using Microsoft.ML.Gan.Tests.TestData;
using Microsoft.ML.Gan.Tests.TestSupport;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Cli;

/// <summary>
/// Every output path is checked before any data is read or any step trained, and a file is never left half-written:
/// a bad path costs seconds, not a training run, and a full disk leaves the previous model as it was.
/// </summary>
[TestFixture]
public class OutputPathTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder() => Directory.CreateDirectory(_folder = Path.Combine(Path.GetTempPath(), "gan-cli-outputs-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private string AFile()
    {
        string path = Path.Combine(_folder, "a-file");
        File.WriteAllText(path, "not a folder");
        return path;
    }

    [TestCase("--output")]
    [TestCase("--samples-dir")]
    [TestCase("--tensorboard")]
    [TestCase("--checkpoint-dir")]
    public void TrainRefusesAFileWhereAFolderIsMeantBeforeReadingData(string flag)
    {
        string[] arguments = flag == "--output"
            ? new[] { "train", "--max-steps", "1", "--output", AFile() }
            : new[] { "train", "--max-steps", "1", "--output", Path.Combine(_folder, "out"), flag, AFile() };

        var result = CliRunner.Run(arguments);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.BadArguments), result.ToString());
        Assert.That(result.Error, Does.Contain("a-file").And.Contain("is a file; a folder was expected"));
        Assert.That(result.Output, Does.Not.Contain("Loaded").And.Not.Contain("Training a"), "no data read, nothing trained");
        Assert.That(File.Exists(Path.Combine(_folder, "out", "model.zip")), Is.False);
    }

    [Test]
    public void TrainRefusesAReadOnlyOutputFolderBeforeTraining()
    {
        using MountedTmpfs readOnly = MountedTmpfs.Mount("ro,size=64k");

        var result = CliRunner.Run("train", "--max-steps", "1", "--output", readOnly.Path);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.BadArguments), result.ToString());
        Assert.That(result.Error, Does.Contain($"--output '{readOnly.Path}' is not a writable folder").And.Contain("Read-only file system"));
        Assert.That(result.Output, Does.Not.Contain("Training a"));
    }

    [Test]
    public void GenerateRefusesABadOutputBeforeLoadingTheModel()
    {
        // The model does not exist: the output check comes first, so its message is the one shown.
        // --output is the output flag of every command; --out and -o are its aliases.
        foreach (string flag in new[] { "--output", "--out", "-o" })
        {
            var result = CliRunner.Run("generate", "--model", Path.Combine(_folder, "missing.zip"), flag, AFile());
            Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.BadArguments), result.ToString());
            Assert.That(result.Error, Does.Contain("--output '").And.Contain("is a file; a folder was expected"), flag);
        }

        var grid = CliRunner.Run("generate", "--model", Path.Combine(_folder, "missing.zip"), "--out", Path.Combine(_folder, "images"), "--grid", _folder);
        Assert.That(grid.ExitCode, Is.EqualTo(ExitCodes.BadArguments), grid.ToString());
        Assert.That(grid.Error, Does.Contain("--grid").And.Contain("is a folder; a file was expected"));
    }

    [Test]
    public void AKillDuringTheModelSaveLeavesAWholeModel()
    {
        var mlContext = new MLContext(seed: 1);
        string model = Path.Combine(_folder, "trained.zip"), output = Path.Combine(_folder, "model.zip");
        float[] expected;
        using (GanTransformer trained = TrainedModels.Dcgan(mlContext, steps: 2))
        {
            mlContext.Model.Save(trained, SyntheticModes.Create(mlContext, 1).Schema, model);
            expected = Generated(trained);
        }

        KilledModelSave.SaveAndKill(model, output, saves: 5);

        // Whatever the kill interrupted, the final name holds a whole model; at most a hidden temporary file is left.
        var loading = new MLContext(seed: 1);
        loading.Gan();
        using (var loaded = (GanTransformer)loading.Model.Load(output, out _))
        {
            Assert.That(Generated(loaded), Is.EqualTo(expected));
        }
        Assert.That(Directory.GetFiles(_folder).Select(Path.GetFileName).Where(name => !name!.StartsWith(".model.zip.", StringComparison.Ordinal)),
            Is.EquivalentTo(new[] { "trained.zip", "model.zip" }));
    }

    private static float[] Generated(GanTransformer model) => GeneratedImages.ReadGray(model.Generate(4, seed: 2)).SelectMany(image => image).ToArray();

    [Test]
    public void AFullDiskDuringTheModelSaveKeepsThePreviousModel()
    {
        using MountedTmpfs disk = MountedTmpfs.Mount("size=8m");
        string[] train = { "train", "--max-steps", "2", "--batch-size", "16", "--progress", "none", "--output", disk.Path,
            "--samples-dir", Path.Combine(_folder, "samples") };
        var first = CliRunner.Run(train);
        Assert.That(first.ExitCode, Is.Zero, first.ToString());
        string model = Path.Combine(disk.Path, "model.zip");
        byte[] previous = File.ReadAllBytes(model);
        disk.FillLeaving(64 * 1024);

        var second = CliRunner.Run(train);

        Assert.That(second.ExitCode, Is.EqualTo(ExitCodes.Failure), second.ToString());
        Assert.That(second.Error, Does.Contain($"Could not write '{model}'").And.Contain("No space left on device").And.Contain("previous file there is unchanged"));
        Assert.That(File.ReadAllBytes(model), Is.EqualTo(previous));
        Assert.That(Directory.GetFiles(disk.Path).Select(Path.GetFileName), Is.EquivalentTo(new[] { "model.zip", "samples.png", "filler" }),
            "no temporary or partial file is left");
    }
}
