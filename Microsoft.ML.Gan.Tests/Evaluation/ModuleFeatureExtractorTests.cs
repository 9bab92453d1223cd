using Microsoft.ML.Gan.Data;
using Microsoft.ML.Gan.Evaluation;
using NUnit.Framework;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Tests.Evaluation;

/// <summary>An arbitrary image → vector module (what an O-GAN encoder is) as a feature extractor.</summary>
[TestFixture]
public class ModuleFeatureExtractorTests
{
    [Test]
    public void GivesTheModulesOutputAndLearnsItsLength()
    {
        var module = nn.Sequential(nn.Flatten(), nn.Linear(64, 5));
        using var extractor = new ModuleFeatureExtractor(module, new ImageShape(1, 8, 8), CPU, ownsModule: true);
        Assert.That((extractor.FeatureDimension, extractor.ClassCount, extractor.ResizesInput), Is.EqualTo((5, 0, false)));
        using Tensor images = rand(7, 1, 8, 8) * 2 - 1;
        using var extracted = extractor.Extract(images, batchSize: 3);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Assert.That(extracted.Features.allclose(module.call(images).to(ScalarType.Float64), rtol: 1e-6, atol: 1e-6), Is.True);
    }
}
