using System;
using System.IO;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Cli;
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

    private static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        TextWriter output = Console.Out, error = Console.Error;
        var capturedOutput = new StringWriter();
        var capturedError = new StringWriter();
        Console.SetOut(capturedOutput);
        Console.SetError(capturedError);
        try
        {
            return (GanCli.Run(args), capturedOutput.ToString(), capturedError.ToString());
        }
        finally
        {
            Console.SetOut(output);
            Console.SetError(error);
        }
    }

    [Test]
    public void TrainThenGenerateWritesModelSamplesAndImages()
    {
        var train = Run("train", "--max-steps", "3", "--batch-size", "16", "--log-every", "1", "--output", _folder);
        Assert.That(train.ExitCode, Is.Zero, train.Error);
        Assert.That(train.Output, Does.Contain("step 3 epoch 1"));
        Assert.That(File.Exists(Path.Combine(_folder, "model.zip")) && File.Exists(Path.Combine(_folder, "samples.png")), Is.True);

        string generated = Path.Combine(_folder, "generated");
        var generate = Run("generate", "--model", Path.Combine(_folder, "model.zip"), "--count", "5", "--out", generated, "--grid", Path.Combine(_folder, "grid.png"));
        Assert.That(generate.ExitCode, Is.Zero, generate.Error);
        Assert.That(Directory.GetFiles(generated, "*.png"), Has.Length.EqualTo(5));
        using MLImage first = MLImage.CreateFromFile(Path.Combine(generated, "image_00000.png"));
        Assert.That((first.Width, first.Height), Is.EqualTo((28, 28)));
        Assert.That(File.Exists(Path.Combine(_folder, "grid.png")), Is.True);
    }

    [Test]
    public void UnknownLossIsABadArgument()
    {
        var result = Run("train", "--loss", "Bogus", "--output", _folder);
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain("Bogus"));
    }

    [Test]
    public void InvalidOptionValueIsABadArgumentNamingTheOption()
    {
        var result = Run("train", "--batch-size", "0", "--output", _folder);
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain("BatchSize"));
    }

    [Test]
    public void MissingModelIsABadArgument()
    {
        var result = Run("generate", "--model", Path.Combine(_folder, "none.zip"));
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain("none.zip").And.Not.Contain("   at "));
    }

    [Test]
    public void FileThatIsNotAModelIsABadArgument()
    {
        string path = Path.Combine(_folder, "notes.zip");
        File.WriteAllText(path, "not a model");
        var result = Run("generate", "--model", path);
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain("is not a model saved by Microsoft.ML.Gan").And.Not.Contain("   at "));
    }
}
