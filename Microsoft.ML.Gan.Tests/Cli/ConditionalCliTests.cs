using System;
using System.IO;
using System.Linq;
using Microsoft.ML.Gan.Cli;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Cli;

/// <summary><c>gan train --trainer conditional</c> and <c>gan generate --label</c> on the shipped Fashion-MNIST test set.</summary>
[TestFixture]
public class ConditionalCliTests
{
    private static readonly string Data = Path.Combine(AppContext.BaseDirectory, "fashion-mnist");
    private string _folder = null!;

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "gan-cli-cond-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void TrainConditionalThenGenerateByLabelName()
    {
        var train = Run("train", "--trainer", "conditional", "--data", Path.Combine(Data, "t10k-images-idx3-ubyte.gz"),
            "--labels", Path.Combine(Data, "t10k-labels-idx1-ubyte.gz"),
            "--label-names", "T-shirt/top,Trouser,Pullover,Dress,Coat,Sandal,Shirt,Sneaker,Bag,Ankle boot",
            "--conditioning", "AuxiliaryClassifier", "--architecture", "Mlp", "--max-steps", "2", "--batch-size", "16", "--output", _folder);
        Assert.That(train.ExitCode, Is.Zero, train.Error);
        Assert.That(train.Output, Does.Contain("Sneaker"));

        string model = Path.Combine(_folder, "model.zip");
        string generated = Path.Combine(_folder, "generated");
        var generate = Run("generate", "--model", model, "--label", "Sneaker", "--count", "3", "--out", generated);
        var unknown = Run("generate", "--model", model, "--label", "Hat", "--count", "3", "--out", generated);

        Assert.That(generate.ExitCode, Is.Zero, generate.Error);
        Assert.That(Directory.GetFiles(generated, "*.png"), Has.Length.EqualTo(3));
        Assert.That(unknown.ExitCode, Is.EqualTo(ExitCodes.BadArguments));
        Assert.That(unknown.Error, Does.Contain("'Hat'").And.Contain("'Sneaker'"));
    }

    [TestCase(null)]
    [TestCase("Sneaker")]
    public void ShardsAndContinuedRunsOfAConditionalModelEqualOneUninterruptedRun(string? label)
    {
        var train = Run("train", "--trainer", "conditional", "--data", Path.Combine(Data, "t10k-images-idx3-ubyte.gz"),
            "--labels", Path.Combine(Data, "t10k-labels-idx1-ubyte.gz"),
            "--label-names", "T-shirt/top,Trouser,Pullover,Dress,Coat,Sandal,Shirt,Sneaker,Bag,Ankle boot",
            "--architecture", "Mlp", "--max-steps", "2", "--batch-size", "16", "--output", _folder);
        Assert.That(train.ExitCode, Is.Zero, train.Error);
        string model = Path.Combine(_folder, "model.zip");
        string[] labelArguments = label is null ? Array.Empty<string>() : new[] { "--label", label };
        CliResult Generate(string folder, params string[] more) =>
            Run(["generate", "--model", model, "--seed", "5", "--output", folder, .. labelArguments, .. more]);

        string whole = Path.Combine(_folder, "whole");
        string shards = Path.Combine(_folder, "shards");
        CliResult uninterrupted = Generate(whole, "--count", "8");
        CliResult first = Generate(shards, "--count", "5");
        CliResult second = Generate(shards, "--count", "3", "--start-index", "5");
        Assert.That(new[] { uninterrupted, first, second }.Select(result => result.ExitCode), Is.All.Zero, uninterrupted.Error + first.Error + second.Error);
        AssertSameFiles(whole, shards);

        File.Delete(Path.Combine(shards, "image_00002.png"));
        File.Delete(Path.Combine(shards, "image_00006.png"));
        CliResult continued = Generate(shards, "--count", "8", "--skip-existing");
        Assert.That(continued.ExitCode, Is.Zero, continued.Error);
        Assert.That(continued.Output, Does.Contain("Wrote 2 images").And.Contain("6 were already there"));
        AssertSameFiles(whole, shards);
    }

    private static void AssertSameFiles(string expectedFolder, string actualFolder)
    {
        string[] expected = Directory.GetFiles(expectedFolder, "*.png").Select(Path.GetFileName).Order().ToArray()!;
        Assert.That(Directory.GetFiles(actualFolder, "*.png").Select(Path.GetFileName).Order(), Is.EqualTo(expected));
        foreach (string name in expected)
        {
            Assert.That(File.ReadAllBytes(Path.Combine(actualFolder, name)), Is.EqualTo(File.ReadAllBytes(Path.Combine(expectedFolder, name))), name);
        }
    }

    [Test]
    public void ConditionalTrainingWithoutLabelsIsABadArgument()
    {
        var train = Run("train", "--trainer", "conditional", "--max-steps", "1", "--output", _folder);
        Assert.That(train.ExitCode, Is.EqualTo(ExitCodes.BadArguments));
        Assert.That(train.Error, Does.Contain("--labels"));
    }

    private static CliResult Run(params string[] args) => CliRunner.Run(args);
}
