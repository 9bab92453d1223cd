using System;
using System.IO;
using Microsoft.ML.Gan.Tests.TestData;
using NUnit.Framework;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Tests.Evaluation;

/// <summary>
/// TorchScript extractors from the fixtures made by TestData/TorchScript/make_fixtures.py: features = flatten(x) @ w with
/// w[i, j] = (3i + j) / 100 − 0.5, and for the classifying one logits = 4 · features[:, :2].
/// </summary>
[TestFixture]
public class TorchScriptFeatureExtractorTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "TorchScript", name);

    private static Tensor Weight() => (arange(64 * 3, dtype: ScalarType.Float32).view(64, 3) / 100) - 0.5;

    [Test]
    public void GivesTheModulesOutputAsFeatures()
    {
        using FeatureExtractor extractor = FeatureExtractor.FromTorchScript(Fixture("features.pt"), 8, 8, imageChannels: 1);
        Assert.That((extractor.FeatureDimension, extractor.ClassCount, extractor.ResizesInput), Is.EqualTo((3, 0, true)));
        var mlContext = new MLContext(seed: 1);
        using Tensor images = ImageClassifierTests.Images(LabelledModes.Create(mlContext, 10, seed: 1));
        using var extracted = extractor.Extract(images, batchSize: 4);
        using var scope = NewDisposeScope();
        Tensor expected = images.flatten(1).matmul(Weight()).to(ScalarType.Float64);
        Assert.That(extracted.Features.allclose(expected, rtol: 1e-5, atol: 1e-5), Is.True);
        Assert.That(extracted.Probabilities, Is.Null);
    }

    [Test]
    public void TupleOutputMakesAClassifyingExtractorAndInputRangeIsApplied()
    {
        using FeatureExtractor extractor = FeatureExtractor.FromTorchScript(Fixture("features_and_logits.pt"), 8, 8, 1, PixelRange.ZeroToOne);
        Assert.That((extractor.FeatureDimension, extractor.ClassCount), Is.EqualTo((3, 2)));
        var mlContext = new MLContext(seed: 1);
        using Tensor images = ImageClassifierTests.Images(LabelledModes.Create(mlContext, 6, seed: 1));
        using var extracted = extractor.Extract(images, batchSize: 4);
        using var scope = NewDisposeScope();
        Tensor features = ((images + 1) * 0.5).flatten(1).matmul(Weight()).to(ScalarType.Float64);
        Assert.That(extracted.Features.allclose(features, rtol: 1e-5, atol: 1e-5), Is.True);
        Assert.That(extracted.Probabilities!.allclose((4 * features.narrow(1, 0, 2)).softmax(1), rtol: 1e-5, atol: 1e-5), Is.True);
    }

    [Test]
    public void ResizesImagesOfAnotherSize()
    {
        using FeatureExtractor extractor = FeatureExtractor.FromTorchScript(Fixture("features.pt"), 8, 8, imageChannels: 1);
        using Tensor images = ones(3, 1, 16, 16) * 0.5f;
        using var extracted = extractor.Extract(images, batchSize: 4);
        using var scope = NewDisposeScope();
        Tensor expected = (ones(3, 64) * 0.5f).matmul(Weight()).to(ScalarType.Float64);
        Assert.That(extracted.Features.allclose(expected, rtol: 1e-5, atol: 1e-5), Is.True);
    }

    [Test]
    public void MissingFileIsNamed()
    {
        var e = Assert.Throws<FileNotFoundException>(() => FeatureExtractor.FromTorchScript("no-such-extractor.pt", 8, 8));
        Assert.That(e!.Message, Does.Contain("no-such-extractor.pt"));
    }

    [Test]
    public void CorruptFileIsInvalidData()
    {
        string path = Path.Combine(Path.GetTempPath(), $"corrupt-{Guid.NewGuid():N}.pt");
        File.WriteAllText(path, "not a TorchScript archive");
        try
        {
            var e = Assert.Throws<InvalidDataException>(() => FeatureExtractor.FromTorchScript(path, 8, 8));
            Assert.That(e!.Message, Does.Contain(path).And.Contain("not a TorchScript module"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void ModuleThatFailsOnTheImageSizeIsInvalidData()
    {
        var e = Assert.Throws<InvalidDataException>(() => FeatureExtractor.FromTorchScript(Fixture("features.pt"), 10, 10, imageChannels: 1));
        Assert.That(e!.Message, Does.Contain("1x10x10"));
    }
}
