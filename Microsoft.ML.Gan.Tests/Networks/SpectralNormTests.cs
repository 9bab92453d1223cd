using System.IO;
using System.Linq;
using Microsoft.ML.Gan.Data;
using Microsoft.ML.Gan.Networks;
using Microsoft.ML.Gan.Torch;
using NUnit.Framework;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Tests.Networks;

[TestFixture]
public sealed class SpectralNormTests
{
    // A weight with σ well above 1, set after construction so the stored u, v are stale and must be iterated.
    [Test]
    public void LinearWeightConvergesToUnitSpectralNorm()
    {
        using var init = new torch.Generator(1);
        using var layer = new SpectralNormLinear(6, 4, init);
        ScaleWeight(layer, init);
        using var scope = torch.NewDisposeScope();
        Assert.That(LargestSingularValue(layer.Weight), Is.GreaterThan(3f), "raw weight");

        var input = torch.randn(new long[] { 5, 6 }, generator: init);
        for (int i = 0; i < 50; i++)
        {
            layer.forward(input);
        }

        layer.eval();
        Assert.That(LargestSingularValue(layer.NormalizedWeight()), Is.EqualTo(1.0).Within(1e-3));

        // The forward pass uses W/σ: compare with the exact σ from an SVD.
        var exact = layer.Weight / LargestSingularValue(layer.Weight);
        var expected = nn.functional.linear(input, exact, layer.Bias);
        Assert.That(layer.forward(input).allclose(expected, rtol: 1e-3, atol: 1e-4), Is.True);
    }

    // For a convolution the weight [out, in, k, k] is normalised as the matrix [out, in·k·k].
    [Test]
    public void ConvWeightConvergesToUnitSpectralNorm()
    {
        using var init = new torch.Generator(2);
        using var layer = new SpectralNormConv2d(3, 8, 4, 2, 1, init);
        ScaleWeight(layer, init);
        using var scope = torch.NewDisposeScope();
        Assert.That(LargestSingularValue(layer.Weight), Is.GreaterThan(3f), "raw weight");

        var input = torch.randn(new long[] { 2, 3, 8, 8 }, generator: init);
        for (int i = 0; i < 50; i++)
        {
            layer.forward(input);
        }

        layer.eval();
        Assert.That(LargestSingularValue(layer.NormalizedWeight()), Is.EqualTo(1.0).Within(1e-3));

        var exact = layer.Weight / LargestSingularValue(layer.Weight);
        var expected = nn.functional.conv2d(input, exact, layer.Bias, strides: new long[] { 2, 2 }, padding: new long[] { 1, 1 });
        var actual = layer.forward(input);
        Assert.That(actual.shape, Is.EqualTo(new long[] { 2, 8, 4, 4 }));
        Assert.That(actual.allclose(expected, rtol: 1e-3, atol: 1e-4), Is.True);
    }

    // The warm-up iterations at (re)initialisation make σ right before any training step.
    [Test]
    public void FactoryInitialisedLayersAreNormalisedFromTheStart()
    {
        var spec = new NetworkSpec(GanArchitecture.Dcgan, new ImageShape(1, 28, 28), 16, SpectralNormalization: true);
        using var init = new torch.Generator(9);
        using var discriminator = GanNetworkFactory.CreateDiscriminator(spec, init);
        discriminator.eval();
        using var scope = torch.NewDisposeScope();

        foreach (var layer in discriminator.modules().OfType<SpectralNormLayer>())
        {
            Assert.That(LargestSingularValue(layer.NormalizedWeight()), Is.EqualTo(1.0).Within(0.05));
        }
    }

    [Test]
    public void TrainingForwardUpdatesUAndEvalForwardDoesNot()
    {
        using var init = new torch.Generator(3);
        using var layer = new SpectralNormLinear(6, 4, init);
        ScaleWeight(layer, init);
        using var scope = torch.NewDisposeScope();
        var input = torch.randn(new long[] { 2, 6 }, generator: init);

        var before = layer.U.clone();
        layer.eval();
        layer.forward(input);
        Assert.That(TensorComparison.Identical(layer.U, before), Is.True, "eval mode changed u");

        layer.train();
        layer.forward(input);
        Assert.That(TensorComparison.Identical(layer.U, before), Is.False, "training mode left u unchanged");
    }

    // D(real) and D(fake) run before one backward; the second forward's in-place u/v update must not break the first graph.
    [Test]
    public void TwoForwardsThenOneBackwardWorks()
    {
        using var init = new torch.Generator(4);
        using var layer = new SpectralNormLinear(6, 1, init);
        using var scope = torch.NewDisposeScope();
        var first = layer.forward(torch.randn(new long[] { 3, 6 }, generator: init));
        var second = layer.forward(torch.randn(new long[] { 3, 6 }, generator: init));

        Assert.DoesNotThrow(() => (first.mean() - second.mean()).backward());
        Assert.That(layer.Weight.grad, Is.Not.Null);
        Assert.That(layer.U.requires_grad, Is.False);
    }

    // u and v are saved with the weights, so a loaded D computes the same σ and the same scores in eval mode.
    [Test]
    public void SaveLoadRoundTripsWeightsAndPowerIterationState()
    {
        var spec = new NetworkSpec(GanArchitecture.Dcgan, new ImageShape(3, 16, 16), 8, SpectralNormalization: true, DiscriminatorBatchNorm: false);
        using var initA = new torch.Generator(1);
        using var initB = new torch.Generator(2);
        using var original = GanNetworkFactory.CreateDiscriminator(spec, initA);
        using var restored = GanNetworkFactory.CreateDiscriminator(spec, initB);

        using var scope = torch.NewDisposeScope();
        var images = torch.rand(new long[] { 4, 3, 16, 16 }, generator: initA);
        using (torch.no_grad())
        {
            for (int i = 0; i < 3; i++)
            {
                original.forward(images); // moves u and v away from their initial values
            }
        }

        var keys = original.state_dict().Keys.ToArray();
        Assert.That(keys, Does.Contain("features.conv1.u").And.Contain("features.conv1.v").And.Contain("head.u"));

        var stream = new MemoryStream();
        original.save(stream);
        restored.load(new MemoryStream(stream.ToArray()));

        var restoredState = restored.state_dict();
        foreach (var (name, tensor) in original.state_dict())
        {
            Assert.That(TensorComparison.Identical(tensor, restoredState[name]), Is.True, name);
        }

        original.eval();
        restored.eval();
        Assert.That(TensorComparison.Identical(original.forward(images), restored.forward(images)), Is.True);
    }

    private static void ScaleWeight(SpectralNormLayer layer, torch.Generator random)
    {
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        layer.Weight.copy_(torch.randn(layer.Weight.shape, generator: random) * 3);
    }

    private static float LargestSingularValue(Tensor weight)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var matrix = weight.reshape(weight.shape[0], -1);
        return torch.linalg.svdvals(matrix)[0].item<float>();
    }
}
