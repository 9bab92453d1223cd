using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Gan.Data;
using Microsoft.ML.Gan.Networks;
using Microsoft.ML.Gan.Torch;
using Microsoft.ML.Gan.Tests.TestSupport;
using NUnit.Framework;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Tests.Networks;

/// <summary>The residual pair: sized to the image, spectrally normalised in D, seeded, and refused for sizes it cannot build.</summary>
[TestFixture]
public sealed class ResNetNetworkTests
{
    private const int Batch = 2;

    private static IEnumerable<TestCaseData> SupportedSizes()
    {
        foreach (int size in new[] { 16, 28, 32, 64, 128 })
        {
            foreach (int channels in new[] { 1, 3 })
            {
                yield return new TestCaseData(channels, size);
            }
        }
    }

    [TestCaseSource(nameof(SupportedSizes))]
    public void NetworksMapLatentToImageToScores(int channels, int size)
    {
        var spec = new NetworkSpec(GanArchitecture.ResNet, new ImageShape(channels, size, size), 16, SpectralNormalization: true);
        Assert.That(GanNetworkFactory.DescribeUnsupported(spec), Is.Null);
        using var init = new torch.Generator(1);
        using var generator = GanNetworkFactory.CreateGenerator(spec, init);
        using var discriminator = GanNetworkFactory.CreateDiscriminator(spec, init);
        using var scope = torch.NewDisposeScope();

        var images = generator.forward(torch.randn(new long[] { Batch, 16 }, generator: init));
        Assert.That(images.shape, Is.EqualTo(new long[] { Batch, channels, size, size }));
        Assert.That(images.abs().max().item<float>(), Is.LessThanOrEqualTo(1f));
        Assert.That(images.std().item<float>(), Is.GreaterThan(1e-3f), "a generator whose output does not depend on z");

        var scores = discriminator.forward(images);
        Assert.That(scores.shape, Is.EqualTo(new long[] { Batch, 1 }));
        Assert.That(scores.isfinite().all().item<bool>(), Is.True);
    }

    [Test]
    public void Mnist28MatchesTheDescribedLayers()
    {
        var spec = new NetworkSpec(GanArchitecture.ResNet, new ImageShape(1, 28, 28), 100, SpectralNormalization: true, DiscriminatorBatchNorm: false);
        using var init = new torch.Generator(1);
        using var generator = GanNetworkFactory.CreateGenerator(spec, init);
        using var discriminator = GanNetworkFactory.CreateDiscriminator(spec, init);

        // Linear 100→48·7·7; blocks 48→24 (14×14) and 24→12 (28×28); BN, ReLU, Conv 12→1, Tanh.
        Assert.That(ModuleLayout.Shapes(generator), Is.EqualTo(new[]
        {
            "project.weight [2352, 100]", "project.bias [2352]",
            "blocks.block1.residual.bn1.weight [48]", "blocks.block1.residual.bn1.bias [48]",
            "blocks.block1.residual.conv1.weight [24, 48, 3, 3]", "blocks.block1.residual.conv1.bias [24]",
            "blocks.block1.residual.bn2.weight [24]", "blocks.block1.residual.bn2.bias [24]",
            "blocks.block1.residual.conv2.weight [24, 24, 3, 3]", "blocks.block1.residual.conv2.bias [24]",
            "blocks.block1.shortcut.conv.weight [24, 48, 1, 1]", "blocks.block1.shortcut.conv.bias [24]",
            "blocks.block2.residual.bn1.weight [24]", "blocks.block2.residual.bn1.bias [24]",
            "blocks.block2.residual.conv1.weight [12, 24, 3, 3]", "blocks.block2.residual.conv1.bias [12]",
            "blocks.block2.residual.bn2.weight [12]", "blocks.block2.residual.bn2.bias [12]",
            "blocks.block2.residual.conv2.weight [12, 12, 3, 3]", "blocks.block2.residual.conv2.bias [12]",
            "blocks.block2.shortcut.conv.weight [12, 24, 1, 1]", "blocks.block2.shortcut.conv.bias [12]",
            "output.bn.weight [12]", "output.bn.bias [12]",
            "output.conv.weight [1, 12, 3, 3]", "output.conv.bias [1]",
        }));

        // The optimized block 1→24 (28 → 14), a block 24→48 (14 → 7) whose first convolution keeps 24 channels, then
        // ReLU, sum pooling and Linear 48 → 1.
        Assert.That(ModuleLayout.Shapes(discriminator), Is.EqualTo(new[]
        {
            "blocks.block1.residual.conv1.weight [24, 1, 3, 3]", "blocks.block1.residual.conv1.bias [24]",
            "blocks.block1.residual.conv2.weight [24, 24, 3, 3]", "blocks.block1.residual.conv2.bias [24]",
            "blocks.block1.shortcut.conv.weight [24, 1, 1, 1]", "blocks.block1.shortcut.conv.bias [24]",
            "blocks.block2.residual.conv1.weight [24, 24, 3, 3]", "blocks.block2.residual.conv1.bias [24]",
            "blocks.block2.residual.conv2.weight [48, 24, 3, 3]", "blocks.block2.residual.conv2.bias [48]",
            "blocks.block2.shortcut.conv.weight [48, 24, 1, 1]", "blocks.block2.shortcut.conv.bias [48]",
            "head.weight [1, 48]", "head.bias [1]",
        }));
        Assert.That(ModuleLayout.Layers(discriminator).Where(l => l.Contains("conv", StringComparison.Ordinal) || l.StartsWith("head", StringComparison.Ordinal)),
            Is.All.EndWith(":SpectralNormConv2d").Or.EndWith(":SpectralNormLinear"));
        Assert.That(ModuleLayout.Layers(discriminator).Count(l => l.Contains(":SpectralNorm", StringComparison.Ordinal)), Is.EqualTo(7));
        Assert.That(ModuleLayout.Layers(discriminator).Where(l => l.StartsWith("blocks.block1.residual", StringComparison.Ordinal)),
            Is.EqualTo(new[]
            {
                "blocks.block1.residual.conv1:SpectralNormConv2d", "blocks.block1.residual.relu2:ReLU",
                "blocks.block1.residual.conv2:SpectralNormConv2d", "blocks.block1.residual.pool:AvgPool2d",
            }), "the first block reads the image without a ReLU before it");
        Assert.That(ModuleLayout.Layers(discriminator), Does.Contain("blocks.block2.residual.relu1:ReLU"));
    }

    [Test]
    public void Colour128UsesFiveBlocksCappedAt192Channels()
    {
        var spec = new NetworkSpec(GanArchitecture.ResNet, new ImageShape(3, 128, 128), 100, SpectralNormalization: true);
        using var init = new torch.Generator(1);
        using var generator = GanNetworkFactory.CreateGenerator(spec, init);
        using var discriminator = GanNetworkFactory.CreateDiscriminator(spec, init);

        Assert.That(ModuleLayout.Shapes(generator).Where(s => s.Contains("residual.conv2.weight", StringComparison.Ordinal)), Is.EqualTo(new[]
        {
            "blocks.block1.residual.conv2.weight [192, 192, 3, 3]", "blocks.block2.residual.conv2.weight [96, 96, 3, 3]",
            "blocks.block3.residual.conv2.weight [48, 48, 3, 3]", "blocks.block4.residual.conv2.weight [24, 24, 3, 3]",
            "blocks.block5.residual.conv2.weight [12, 12, 3, 3]",
        }));
        Assert.That(ModuleLayout.Shapes(generator)[0], Is.EqualTo("project.weight [3072, 100]")); // 192·4·4
        Assert.That(ModuleLayout.Shapes(discriminator).Where(s => s.Contains("residual.conv2.weight", StringComparison.Ordinal)), Is.EqualTo(new[]
        {
            "blocks.block1.residual.conv2.weight [24, 24, 3, 3]", "blocks.block2.residual.conv2.weight [48, 24, 3, 3]",
            "blocks.block3.residual.conv2.weight [96, 48, 3, 3]", "blocks.block4.residual.conv2.weight [192, 96, 3, 3]",
            "blocks.block5.residual.conv2.weight [192, 192, 3, 3]",
        }));
        Assert.That(ModuleLayout.Shapes(discriminator)[0], Is.EqualTo("blocks.block1.residual.conv1.weight [24, 3, 3, 3]"));
    }

    // The weights docs/small-data.md lists (latent 100, one output). At 28 px: a third of the DCGAN's in G, a sixth in D.
    [TestCase(1, 28, 258_889, 22_369)]
    [TestCase(3, 32, 243_939, 89_953)]
    [TestCase(3, 64, 667_203, 357_793)]
    [TestCase(3, 128, 1_368_963, 1_058_785)]
    public void WeightCountsAreTheDocumentedOnes(int channels, int side, int generator, int discriminator)
    {
        var shape = new ImageShape(channels, side, side);
        NetworkSize resNet = NetworkSize.Of(new NetworkSpec(GanArchitecture.ResNet, shape, 100, SpectralNormalization: true, DiscriminatorBatchNorm: false));

        Assert.That(resNet.GeneratorParameters, Is.EqualTo(generator));
        Assert.That(resNet.Parameters - resNet.GeneratorParameters, Is.EqualTo(discriminator));
    }

    [Test]
    public void TheDcgansWeightsTheDocsCompareWith()
    {
        NetworkSize dcgan = NetworkSize.Of(new NetworkSpec(GanArchitecture.Dcgan, new ImageShape(1, 28, 28), 100));

        Assert.That((dcgan.GeneratorParameters, dcgan.Parameters - dcgan.GeneratorParameters), Is.EqualTo((778_305, 138_817)));
    }

    [Test]
    public void DiscriminatorWithoutSpectralNormalizationUsesPlainLayersWithTheSameKeys()
    {
        var shape = new ImageShape(3, 32, 32);
        using var init = new torch.Generator(1);
        using var normalised = GanNetworkFactory.CreateDiscriminator(new NetworkSpec(GanArchitecture.ResNet, shape, 8, SpectralNormalization: true), init);
        using var plain = GanNetworkFactory.CreateDiscriminator(new NetworkSpec(GanArchitecture.ResNet, shape, 8), init);

        Assert.That(ModuleLayout.Layers(plain).Count(l => l.Contains("SpectralNorm", StringComparison.Ordinal)), Is.Zero);
        Assert.That(ModuleLayout.Shapes(plain), Is.EqualTo(ModuleLayout.Shapes(normalised)));
    }

    [TestCase(1, 30, 30)]
    [TestCase(3, 100, 100)]
    [TestCase(1, 8, 8)]
    [TestCase(1, 14, 14)]
    [TestCase(3, 12, 12)]
    [TestCase(3, 512, 512)]
    [TestCase(1, 28, 30)]
    public void SizesItCannotBuildAreRefusedNamingTheSizeAndTheSizesItCan(int channels, int height, int width)
    {
        var spec = new NetworkSpec(GanArchitecture.ResNet, new ImageShape(channels, height, width), 100);
        string? message = GanNetworkFactory.DescribeUnsupported(spec);

        Assert.That(message, Does.StartWith("ResNet").And.Contain($"got {channels}x{height}x{width}"));
        Assert.That(message, Does.Contain("16, 20, 24, 28, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256 px"));
        Assert.That(message, Does.Contain("Dcgan"));

        using var init = new torch.Generator(1);
        var thrown = Assert.Throws<ArgumentException>(() => GanNetworkFactory.CreateGenerator(spec, init));
        Assert.That(thrown!.Message, Does.Contain(message));
        Assert.Throws<ArgumentException>(() => GanNetworkFactory.CreateDiscriminator(spec, init));
    }

    [TestCase(16, 16, 2, 4, 4)]
    [TestCase(28, 28, 2, 7, 7)]
    [TestCase(32, 32, 3, 4, 4)]
    [TestCase(48, 48, 3, 6, 6)]
    [TestCase(64, 64, 4, 4, 4)]
    [TestCase(128, 128, 5, 4, 4)]
    [TestCase(256, 256, 5, 8, 8)]
    [TestCase(16, 32, 2, 4, 8)]
    public void LayoutHalvesLikeTheDcgansFromAStartMapOfFourToEight(int height, int width, int depth, int startHeight, int startWidth)
    {
        var layout = ResNetLayout.For(new ImageShape(1, height, width));

        Assert.That(layout, Is.EqualTo(new ResNetLayout(depth, startHeight, startWidth)));
        Assert.That(layout.IsBuildable, Is.True);
        Assert.That(GanNetworkFactory.DescribeUnsupported(new NetworkSpec(GanArchitecture.ResNet, new ImageShape(3, height, width), 8)), Is.Null);
    }

    // The global RNG is reseeded differently before each build: equal weights prove that only initRandom was used.
    [Test]
    public void SameSeedGivesIdenticalWeightsAndAnotherSeedOthers()
    {
        var spec = new NetworkSpec(GanArchitecture.ResNet, new ImageShape(3, 32, 32), 32, SpectralNormalization: true);
        foreach (var create in new Func<NetworkSpec, torch.Generator, nn.Module<Tensor, Tensor>>[]
                 { GanNetworkFactory.CreateGenerator, GanNetworkFactory.CreateDiscriminator })
        {
            using var a = Build(create, spec, seed: 7, globalSeed: 1);
            using var b = Build(create, spec, seed: 7, globalSeed: 2);
            using var other = Build(create, spec, seed: 8, globalSeed: 1);
            var stateA = a.state_dict();
            var stateB = b.state_dict();
            var stateOther = other.state_dict();
            Assert.That(stateA.Keys, Is.EqualTo(stateB.Keys));
            foreach (var (name, tensor) in stateA)
            {
                Assert.That(TensorComparison.Identical(tensor, stateB[name]), Is.True, name); // spectral norm's u and v included
                if (name.EndsWith(".weight", StringComparison.Ordinal) && !name.Contains(".bn", StringComparison.Ordinal))
                {
                    Assert.That(TensorComparison.Identical(tensor, stateOther[name]), Is.False, name);
                }
            }
        }
    }

    // SNGAN's Glorot uniform: block2.conv1 of the 28 px G is [12, 24, 3, 3], fan-in 216 and fan-out 108, so U(−√(6/324), +√(6/324)).
    [Test]
    public void WeightsFollowTheGlorotUniformInitialisationWithZeroBiases()
    {
        var spec = new NetworkSpec(GanArchitecture.ResNet, new ImageShape(1, 28, 28), 100);
        using var generator = Build(GanNetworkFactory.CreateGenerator, spec, seed: 3, globalSeed: 3);
        var parameters = generator.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using var scope = torch.NewDisposeScope();

        float bound = (float)Math.Sqrt(6.0 / 324);
        var conv = parameters["blocks.block2.residual.conv1.weight"];
        Assert.That(conv.abs().max().item<float>(), Is.LessThanOrEqualTo(bound).And.GreaterThan(0.99f * bound));
        Assert.That(conv.std().item<float>(), Is.EqualTo(bound / Math.Sqrt(3)).Within(0.05 * bound));
        Assert.That(parameters["output.bn.weight"].eq(1).all().item<bool>(), Is.True);
        foreach (var (name, parameter) in parameters.Where(p => p.Key.EndsWith(".bias", StringComparison.Ordinal)))
        {
            Assert.That(parameter.abs().max().item<float>(), Is.EqualTo(0f), name);
        }
    }

    private static nn.Module<Tensor, Tensor> Build(
        Func<NetworkSpec, torch.Generator, nn.Module<Tensor, Tensor>> create, NetworkSpec spec, ulong seed, long globalSeed)
    {
        torch.manual_seed(globalSeed);
        using var initRandom = new torch.Generator(seed);
        return create(spec, initRandom);
    }
}
