using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using System.Text.Json;
using Microsoft.ML.Gan.Cli;
using Microsoft.ML.Gan.Data;
using Microsoft.ML.Gan.Torch;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Cli;

/// <summary><c>gan classifier train</c> and <c>gan evaluate</c> end to end on a slice of the shipped Fashion-MNIST test set.</summary>
[TestFixture]
public class EvaluateCommandTests
{
    private string _folder = null!;

    [OneTimeSetUp]
    public void TrainModelAndClassifier()
    {
        _folder = Path.Combine(Path.GetTempPath(), "gan-eval-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        string fashion = Path.Combine(AppContext.BaseDirectory, "fashion-mnist");
        IdxImages images = IdxReader.ReadImages(Path.Combine(fashion, "t10k-images-idx3-ubyte.gz"));
        byte[] labels = IdxReader.ReadLabels(Path.Combine(fashion, "t10k-labels-idx1-ubyte.gz"));
        WriteIdx(ImagesPath, 0x803, new[] { 400, images.Height, images.Width }, images.Pixels.AsSpan(0, 400 * images.PixelsPerImage));
        WriteIdx(LabelsPath, 0x801, new[] { 400 }, labels.AsSpan(0, 400));

        var classifier = CliRunner.Run("classifier", "train", "--images", ImagesPath, "--labels", LabelsPath, "--epochs", "1", "--out", ClassifierPath);
        Assert.That(classifier.ExitCode, Is.Zero, classifier.Error);
        Assert.That(classifier.Output, Does.Contain("epoch 1/1"));
        var train = CliRunner.Run("train", "--data", ImagesPath, "--max-steps", "3", "--batch-size", "16", "--output", _folder);
        Assert.That(train.ExitCode, Is.Zero, train.Error);
    }

    [OneTimeTearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private string ImagesPath => Path.Combine(_folder, "images.idx");

    private string LabelsPath => Path.Combine(_folder, "labels.idx");

    private string ClassifierPath => Path.Combine(_folder, "classifier.zip");

    private string ModelPath => Path.Combine(_folder, "model.zip");

    [Test]
    public void PrintsATableOfMetrics()
    {
        var result = CliRunner.Run("evaluate", "--model", ModelPath, "--real", ImagesPath, "--extractor", ClassifierPath, "--count", "60", "--training", ImagesPath);
        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Output, Does.Contain("FrechetDistance").And.Contain("ModeCoverage").And.Contain("MemorizationRatio").And.Contain("GeneratedCount               60"));
    }

    [Test]
    public void PrintsJsonWithEveryMetric()
    {
        var result = CliRunner.Run("evaluate", "--model", ModelPath, "--real", ImagesPath, "--extractor", ClassifierPath, "--count", "60", "--json");
        Assert.That(result.ExitCode, Is.Zero, result.Error);
        using JsonDocument json = JsonDocument.Parse(result.Output);
        Assert.That(json.RootElement.GetProperty("FrechetDistance").GetDouble(), Is.GreaterThan(0));
        Assert.That(json.RootElement.GetProperty("RealCount").GetInt64(), Is.EqualTo(400));
        Assert.That(json.RootElement.GetProperty("ClassCount").GetInt32(), Is.EqualTo(10));
        Assert.That(json.RootElement.GetProperty("MemorizationRatio").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [Test]
    public void TruncationReachesTheScoredImages()
    {
        double Fid(params string[] extra)
        {
            var result = CliRunner.Run(new[] { "evaluate", "--model", ModelPath, "--real", ImagesPath, "--extractor", ClassifierPath, "--count", "60", "--json" }.Concat(extra).ToArray());
            Assert.That(result.ExitCode, Is.Zero, result.Error);
            using JsonDocument json = JsonDocument.Parse(result.Output);
            return json.RootElement.GetProperty("FrechetDistance").GetDouble();
        }

        double truncated = Fid("--truncation", "0.3");
        Assert.That(Fid("--truncation", "0.3"), Is.EqualTo(truncated), "same seed and threshold, same images");
        Assert.That(Fid(), Is.Not.EqualTo(truncated));
        var refused = CliRunner.Run("evaluate", "--model", ModelPath, "--real", ImagesPath, "--extractor", ClassifierPath, "--truncation", "-2");
        Assert.That(refused.ExitCode, Is.EqualTo(2));
        Assert.That(refused.Error, Does.Contain("--truncation must be > 0; got -2."));
    }

    [Test]
    public void MissingExtractorIsABadArgument()
    {
        var result = CliRunner.Run("evaluate", "--model", ModelPath, "--real", ImagesPath, "--extractor", Path.Combine(_folder, "none.zip"));
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain("none.zip").And.Not.Contain("   at "));
    }

    [TestCase("broken.zip", "is not a image classifier saved by Microsoft.ML.Gan")]
    [TestCase("broken.pt", "is not a TorchScript module")]
    public void CorruptExtractorIsABadArgument(string name, string message)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllText(path, "not an extractor");
        var result = CliRunner.Run("evaluate", "--model", ModelPath, "--real", ImagesPath, "--extractor", path);
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain(message).And.Not.Contain("   at "));
    }

    [Test]
    public void AGanModelIsNotAClassifier()
    {
        var result = CliRunner.Run("evaluate", "--model", ModelPath, "--real", ImagesPath, "--extractor", ModelPath);
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain("holds no image classifier"));
    }

    [Test]
    public void MissingRequiredOptionIsABadArgument()
    {
        var result = CliRunner.Run("evaluate", "--model", ModelPath, "--real", ImagesPath);
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain("--extractor"));
    }

    private static void WriteIdx(string path, int magic, int[] dimensions, ReadOnlySpan<byte> data)
    {
        using var file = File.Create(path);
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, magic);
        file.Write(word);
        foreach (int dimension in dimensions)
        {
            BinaryPrimitives.WriteInt32BigEndian(word, dimension);
            file.Write(word);
        }

        file.Write(data);
    }
}
