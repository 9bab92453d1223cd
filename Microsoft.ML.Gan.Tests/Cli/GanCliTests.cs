using System;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Cli;

/// <summary>The gan tool end to end on the shipped Fashion-MNIST test set, and its exit codes.</summary>
[TestFixture]
public class GanCliTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "gan-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void TrainThenGenerateWritesModelGridsAndImages()
    {
        var train = CliRunner.Run("train", "--max-steps", "3", "--batch-size", "16", "--log-every", "1", "--progress", "lines", "--output", _folder);
        Assert.That(train.ExitCode, Is.Zero, train.ToString());
        Assert.That(train.Output, Does.Contain("step 3/3 epoch 1/1"));
        Assert.That(File.Exists(Path.Combine(_folder, "model.zip")), Is.True);
        string epochGrid = Path.Combine(_folder, "samples", "epoch_001.png");
        Assert.That(File.ReadAllBytes(Path.Combine(_folder, "samples.png")), Is.EqualTo(File.ReadAllBytes(epochGrid)));

        string generated = Path.Combine(_folder, "generated");
        string grid = Path.Combine(_folder, "grid.png");
        var generate = CliRunner.Run("generate", "--model", Path.Combine(_folder, "model.zip"), "--count", "64", "--out", generated, "--grid", grid);
        Assert.That(generate.ExitCode, Is.Zero, generate.ToString());
        Assert.That(Directory.GetFiles(generated, "*.png"), Has.Length.EqualTo(64));
        using MLImage first = MLImage.CreateFromFile(Path.Combine(generated, "image_00000.png"));
        Assert.That((first.Width, first.Height), Is.EqualTo((28, 28)));
        Assert.That(File.ReadAllBytes(Path.Combine(generated, "image_00000.png"))[25], Is.Zero, "a 1-channel model writes 8-bit grayscale PNGs");
        // The training run's grids use the latent vectors of 'generate --seed 1', so the saved model redraws the last one exactly.
        Assert.That(Pixels(grid), Is.EqualTo(Pixels(Path.Combine(_folder, "samples.png"))));
    }

    [Test]
    public void GenerateWithTruncationWritesTheLibrarysTruncatedImages()
    {
        var train = CliRunner.Run("train", "--max-steps", "2", "--batch-size", "16", "--progress", "lines", "--output", _folder);
        Assert.That(train.ExitCode, Is.Zero, train.ToString());
        string model = Path.Combine(_folder, "model.zip");
        string truncated = Path.Combine(_folder, "truncated");

        var generate = CliRunner.Run("generate", "--model", model, "--count", "3", "--seed", "4", "--truncation", "0.5", "--out", truncated);
        Assert.That(generate.ExitCode, Is.Zero, generate.ToString());

        var mlContext = new MLContext(seed: 1);
        mlContext.Gan();
        using var gan = (GanTransformer)mlContext.Model.Load(model, out _);
        MLImage[] expected = gan.Generate(3, seed: 4, truncation: 0.5).GetColumn<MLImage>("Image").ToArray();
        Assert.That(Enumerable.Range(0, 3).Select(i => Pixels(Path.Combine(truncated, $"image_{i:D5}.png"))),
            Is.EqualTo(expected.Select(image => image.Pixels.ToArray())));
        Array.ForEach(expected, image => image.Dispose());

        var refused = CliRunner.Run("generate", "--model", model, "--truncation", "0", "--out", truncated);
        Assert.That(refused.ExitCode, Is.EqualTo(2));
        Assert.That(refused.Error, Is.EqualTo($"gan: --truncation must be > 0; got 0.{Environment.NewLine}"));
    }

    [Test]
    public void UnknownLossIsABadArgument()
    {
        var result = CliRunner.Run("train", "--loss", "Bogus", "--output", _folder);
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain("Bogus").And.Contain("gan train --help"));
        Assert.That(result.Error.TrimEnd().Split('\n'), Has.Length.EqualTo(1), result.Error);
    }

    [TestCase("--batch-size", "0", "--batch-size: BatchSize must be at least 1; got 0.")]
    [TestCase("--lr-d", "-1", "--lr-d: DiscriminatorLearningRate must be a finite number > 0; got -1.")]
    [TestCase("--beta2", "1", "--beta2: Beta2 must be in [0, 1); got 1.")]
    [TestCase("--weight-clip", "0", "--weight-clip: WeightClip must be a finite number > 0; got 0.")]
    [TestCase("--r1", "0", "--r1: R1Weight must be a finite number > 0; got 0.")]
    [TestCase("--r1-interval", "0", "--r1-interval: R1Interval must be at least 1; got 0.")]
    [TestCase("--augment", "color,zoom", "--augment: Augmentation 'color,zoom' names 'zoom', which is not a transform; use a comma-separated list of color, translation, cutout, noise.")]
    [TestCase("--augment-target", "1.5", "--augment-target: AugmentationTarget must be in (0, 1), such as ADA's 0.6; got 1.5.")]
    public void InvalidOptionValueIsOneLineNamingTheFlagWithTheOptionsMessage(string flag, string value, string expected)
    {
        var result = CliRunner.Run("train", flag, value, "--output", _folder);
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Is.EqualTo($"gan: {expected}{Environment.NewLine}"));
        Assert.That(Directory.EnumerateFileSystemEntries(_folder), Is.Empty, "nothing is written before the options are checked");
    }

    [Test]
    public void MissingModelIsABadArgument()
    {
        var result = CliRunner.Run("generate", "--model", Path.Combine(_folder, "none.zip"));
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain("none.zip").And.Not.Contain("   at "));
    }

    [Test]
    public void FileThatIsNotAModelIsABadArgument()
    {
        string path = Path.Combine(_folder, "notes.zip");
        File.WriteAllText(path, "not a model");
        var result = CliRunner.Run("generate", "--model", path);
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain("is not a model saved by Microsoft.ML.Gan").And.Not.Contain("   at "));
        Assert.That(result.Error.TrimEnd().Split('\n'), Has.Length.EqualTo(1), result.Error);
    }

    [Test]
    public void MissingDataIsABadArgument()
    {
        var result = CliRunner.Run("train", "--data", Path.Combine(_folder, "absent.gz"), "--output", _folder);
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain("absent.gz").And.Not.Contain("   at "));
    }

    private static byte[] Pixels(string path)
    {
        using MLImage image = MLImage.CreateFromFile(path);
        return image.Pixels.ToArray();
    }
}
