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

[TestFixture]
public sealed class GanNetworkFactoryTests
{
    private const int Latent = 100;
    private const int Batch = 3;

    private static IEnumerable<TestCaseData> SupportedSizes()
    {
        foreach (var architecture in new[] { GanArchitecture.Mlp, GanArchitecture.Dcgan })
        {
            foreach (int size in new[] { 8, 28, 32, 64, 128 })
            {
                foreach (int channels in new[] { 1, 3 })
                {
                    yield return new TestCaseData(architecture, channels, size);
                }
            }
        }
    }

    [TestCaseSource(nameof(SupportedSizes))]
    public void NetworksMapLatentToImageToScores(GanArchitecture architecture, int channels, int size)
    {
        var spec = new NetworkSpec(architecture, new ImageShape(channels, size, size), Latent);
        Assert.That(GanNetworkFactory.DescribeUnsupported(spec), Is.Null);
        using var init = new torch.Generator(1);
        using var generator = GanNetworkFactory.CreateGenerator(spec, init);
        using var discriminator = GanNetworkFactory.CreateDiscriminator(spec, init);
        using var scope = torch.NewDisposeScope();

        var images = generator.forward(torch.randn(new long[] { Batch, Latent }, generator: init));
        Assert.That(images.shape, Is.EqualTo(new long[] { Batch, channels, size, size }));
        Assert.That(images.abs().max().item<float>(), Is.LessThanOrEqualTo(1f));

        var scores = discriminator.forward(images);
        Assert.That(scores.shape, Is.EqualTo(new long[] { Batch, 1 }));
    }

    [TestCase(GanArchitecture.Mlp)]
    [TestCase(GanArchitecture.Dcgan)]
    public void NonSquareImagesWork(GanArchitecture architecture)
    {
        // 16×32: both halve twice to 4×8 (Dcgan depth 2).
        var spec = new NetworkSpec(architecture, new ImageShape(3, 16, 32), 8);
        using var init = new torch.Generator(1);
        using var generator = GanNetworkFactory.CreateGenerator(spec, init);
        using var discriminator = GanNetworkFactory.CreateDiscriminator(spec, init);
        using var scope = torch.NewDisposeScope();

        var images = generator.forward(torch.randn(new long[] { Batch, 8 }, generator: init));
        Assert.That(images.shape, Is.EqualTo(new long[] { Batch, 3, 16, 32 }));
        Assert.That(discriminator.forward(images).shape, Is.EqualTo(new long[] { Batch, 1 }));
    }

    // O-GAN turns D into an encoder with as many outputs as the latent dimension.
    [TestCase(GanArchitecture.Mlp, false)]
    [TestCase(GanArchitecture.Dcgan, false)]
    [TestCase(GanArchitecture.Dcgan, true)]
    public void DiscriminatorCanHaveSeveralOutputs(GanArchitecture architecture, bool spectralNormalization)
    {
        var spec = new NetworkSpec(architecture, new ImageShape(1, 28, 28), 16, DiscriminatorOutputs: 16, SpectralNormalization: spectralNormalization);
        using var init = new torch.Generator(1);
        using var discriminator = GanNetworkFactory.CreateDiscriminator(spec, init);
        using var scope = torch.NewDisposeScope();

        Assert.That(discriminator.forward(torch.rand(Batch, 1, 28, 28)).shape, Is.EqualTo(new long[] { Batch, 16 }));
    }

    // With weights scaled up the pre-activations are far outside [−1, 1]: only the final Tanh keeps the output there.
    [TestCase(GanArchitecture.Mlp)]
    [TestCase(GanArchitecture.Dcgan)]
    public void GeneratorOutputIsSquashedIntoMinusOneToOne(GanArchitecture architecture)
    {
        var spec = new NetworkSpec(architecture, new ImageShape(1, 28, 28), 16);
        using var init = new torch.Generator(4);
        using var generator = GanNetworkFactory.CreateGenerator(spec, init);
        using (torch.no_grad())
        {
            foreach (var parameter in generator.parameters())
            {
                parameter.mul_(50);
            }
        }

        using var scope = torch.NewDisposeScope();
        var images = generator.forward(torch.randn(new long[] { 8, 16 }, generator: init) * 10);
        Assert.That(images.abs().max().item<float>(), Is.LessThanOrEqualTo(1f));
        Assert.That(images.abs().max().item<float>(), Is.GreaterThan(0.99f));
    }

    [Test]
    public void Dcgan28MatchesTheDescribedLayers()
    {
        var spec = new NetworkSpec(GanArchitecture.Dcgan, new ImageShape(1, 28, 28), 100);
        using var init = new torch.Generator(1);
        using var generator = GanNetworkFactory.CreateGenerator(spec, init);
        using var discriminator = GanNetworkFactory.CreateDiscriminator(spec, init);

        // Linear 100→128·7·7, BN, ReLU, ConvT 128→64, BN, ReLU, ConvT 64→1, Tanh.
        Assert.That(ModuleLayout.Layers(generator), Is.EqualTo(new[]
        {
            "project.fc:Linear", "project.bn:BatchNorm1d", "project.relu:ReLU",
            "upsample.convt1:ConvTranspose2d", "upsample.bn1:BatchNorm2d", "upsample.relu1:ReLU",
            "upsample.convt2:ConvTranspose2d", "upsample.tanh:Tanh",
        }));
        Assert.That(ModuleLayout.Shapes(generator), Is.EqualTo(new[]
        {
            "project.fc.weight [6272, 100]", "project.fc.bias [6272]",
            "project.bn.weight [6272]", "project.bn.bias [6272]",
            "upsample.convt1.weight [128, 64, 4, 4]", "upsample.convt1.bias [64]",   // ConvTranspose2d weights are [in, out, k, k]
            "upsample.bn1.weight [64]", "upsample.bn1.bias [64]",
            "upsample.convt2.weight [64, 1, 4, 4]", "upsample.convt2.bias [1]",
        }));

        // Conv 1→64, LReLU, Conv 64→128, BN, LReLU, flatten, Linear 128·7·7 → 1.
        Assert.That(ModuleLayout.Layers(discriminator), Is.EqualTo(new[]
        {
            "features.conv1:Conv2d", "features.lrelu1:LeakyReLU",
            "features.conv2:Conv2d", "features.bn2:BatchNorm2d", "features.lrelu2:LeakyReLU",
            "features.flatten:Flatten", "head:Linear",
        }));
        Assert.That(ModuleLayout.Shapes(discriminator), Is.EqualTo(new[]
        {
            "features.conv1.weight [64, 1, 4, 4]", "features.conv1.bias [64]",
            "features.conv2.weight [128, 64, 4, 4]", "features.conv2.bias [128]",
            "features.bn2.weight [128]", "features.bn2.bias [128]",
            "head.weight [1, 6272]", "head.bias [1]",
        }));
    }

    [Test]
    public void Dcgan128UsesFiveLevelsCappedAt512Channels()
    {
        var spec = new NetworkSpec(GanArchitecture.Dcgan, new ImageShape(3, 128, 128), 100);
        using var init = new torch.Generator(1);
        using var generator = GanNetworkFactory.CreateGenerator(spec, init);
        using var discriminator = GanNetworkFactory.CreateDiscriminator(spec, init);

        var generatorConvs = ModuleLayout.Shapes(generator).Where(s => s.StartsWith("upsample.convt", StringComparison.Ordinal) && s.Contains(".weight")).ToArray();
        Assert.That(generatorConvs, Is.EqualTo(new[]
        {
            "upsample.convt1.weight [512, 512, 4, 4]", "upsample.convt2.weight [512, 256, 4, 4]",
            "upsample.convt3.weight [256, 128, 4, 4]", "upsample.convt4.weight [128, 64, 4, 4]",
            "upsample.convt5.weight [64, 3, 4, 4]",
        }));
        Assert.That(ModuleLayout.Shapes(generator)[0], Is.EqualTo("project.fc.weight [8192, 100]")); // 512·4·4

        var discriminatorConvs = ModuleLayout.Shapes(discriminator).Where(s => s.StartsWith("features.conv", StringComparison.Ordinal) && s.Contains(".weight")).ToArray();
        Assert.That(discriminatorConvs, Is.EqualTo(new[]
        {
            "features.conv1.weight [64, 3, 4, 4]", "features.conv2.weight [128, 64, 4, 4]",
            "features.conv3.weight [256, 128, 4, 4]", "features.conv4.weight [512, 256, 4, 4]",
            "features.conv5.weight [512, 512, 4, 4]",
        }));
        Assert.That(ModuleLayout.Shapes(discriminator).Last(s => s.StartsWith("head.weight", StringComparison.Ordinal)), Is.EqualTo("head.weight [1, 8192]"));
    }

    [Test]
    public void DiscriminatorBatchNormCanBeLeftOutAndSpectralNormSwapsTheLayers()
    {
        var spec = new NetworkSpec(GanArchitecture.Dcgan, new ImageShape(1, 28, 28), 100, SpectralNormalization: true, DiscriminatorBatchNorm: false);
        using var init = new torch.Generator(1);
        using var discriminator = GanNetworkFactory.CreateDiscriminator(spec, init);
        using var generator = GanNetworkFactory.CreateGenerator(spec, init);

        Assert.That(ModuleLayout.Layers(discriminator), Is.EqualTo(new[]
        {
            "features.conv1:SpectralNormConv2d", "features.lrelu1:LeakyReLU",
            "features.conv2:SpectralNormConv2d", "features.lrelu2:LeakyReLU",
            "features.flatten:Flatten", "head:SpectralNormLinear",
        }));

        // Spectral normalization is for D only; G keeps its BatchNorm (the flag is about D).
        Assert.That(ModuleLayout.Layers(generator).Count(l => l.Contains("Spectral", StringComparison.Ordinal)), Is.EqualTo(0));
        Assert.That(ModuleLayout.Layers(generator), Does.Contain("upsample.bn1:BatchNorm2d"));
    }

    [Test]
    public void MlpMatchesTheOriginalGanLayers()
    {
        var spec = new NetworkSpec(GanArchitecture.Mlp, new ImageShape(1, 28, 28), 100, SpectralNormalization: true);
        using var init = new torch.Generator(1);
        using var generator = GanNetworkFactory.CreateGenerator(spec, init);
        using var discriminator = GanNetworkFactory.CreateDiscriminator(spec, init);

        Assert.That(ModuleLayout.Shapes(generator), Is.EqualTo(new[]
        {
            "layers.fc1.weight [256, 100]", "layers.fc1.bias [256]",
            "layers.fc2.weight [256, 256]", "layers.fc2.bias [256]",
            "layers.fc3.weight [784, 256]", "layers.fc3.bias [784]",
        }));
        Assert.That(ModuleLayout.Shapes(discriminator), Is.EqualTo(new[]
        {
            "layers.fc1.weight [64, 784]", "layers.fc1.bias [64]",
            "layers.fc2.weight [64, 64]", "layers.fc2.bias [64]",
            "layers.fc3.weight [1, 64]", "layers.fc3.bias [1]",
        }));
        Assert.That(ModuleLayout.Layers(discriminator).Where(l => l.StartsWith("layers.fc", StringComparison.Ordinal)),
            Is.All.EndsWith(":SpectralNormLinear"));
    }

    [TestCase(1, 7, 7)]
    [TestCase(1, 6, 6)]
    [TestCase(3, 4, 4)]
    [TestCase(1, 9, 8)]
    public void DcganRejectsSizesItCannotHalveWithAMessageNamingTheSize(int channels, int height, int width)
    {
        var spec = new NetworkSpec(GanArchitecture.Dcgan, new ImageShape(channels, height, width), 100);
        string? message = GanNetworkFactory.DescribeUnsupported(spec);

        Assert.That(message, Is.Not.Null);
        Assert.That(message, Does.Contain($"got {channels}x{height}x{width}"));
        Assert.That(message, Does.Contain("8x8"));
        Assert.That(message, Does.Contain("Mlp"));

        using var init = new torch.Generator(1);
        var thrown = Assert.Throws<ArgumentException>(() => GanNetworkFactory.CreateGenerator(spec, init));
        Assert.That(thrown!.Message, Does.Contain(message));
        Assert.Throws<ArgumentException>(() => GanNetworkFactory.CreateDiscriminator(spec, init));
    }

    [TestCase(1, 1)]
    [TestCase(1, 6)]
    [TestCase(1, 7)]
    [TestCase(3, 13)]
    [TestCase(1, 28)]
    [TestCase(3, 128)]
    public void MlpAcceptsAnySize(int channels, int size)
    {
        var spec = new NetworkSpec(GanArchitecture.Mlp, new ImageShape(channels, size, size), 100);
        Assert.That(GanNetworkFactory.DescribeUnsupported(spec), Is.Null);
    }

    [Test]
    public void InvalidSpecsAreDescribed()
    {
        Assert.That(GanNetworkFactory.DescribeUnsupported(new NetworkSpec(GanArchitecture.Mlp, new ImageShape(0, 8, 8), 10)), Does.Contain("0x8x8"));
        Assert.That(GanNetworkFactory.DescribeUnsupported(new NetworkSpec(GanArchitecture.Mlp, new ImageShape(1, 8, 8), 0)), Does.Contain("latent"));
        Assert.That(GanNetworkFactory.DescribeUnsupported(new NetworkSpec(GanArchitecture.Mlp, new ImageShape(1, 8, 8), 4, DiscriminatorOutputs: 0)), Does.Contain("output"));
        Assert.That(GanNetworkFactory.DescribeUnsupported(new NetworkSpec((GanArchitecture)42, new ImageShape(1, 8, 8), 4)), Does.Contain("Unknown architecture"));
    }

    [TestCase(8, 8, 1, 4, 4)]
    [TestCase(28, 28, 2, 7, 7)]
    [TestCase(32, 32, 3, 4, 4)]
    [TestCase(64, 64, 4, 4, 4)]
    [TestCase(128, 128, 5, 4, 4)]
    [TestCase(256, 256, 5, 8, 8)]
    [TestCase(16, 32, 2, 4, 8)]
    [TestCase(7, 7, 0, 7, 7)]
    public void DcganLayoutHalvesWhileBothSidesStayAtLeastFour(int height, int width, int depth, int startHeight, int startWidth)
    {
        Assert.That(DcganLayout.For(new ImageShape(1, height, width)), Is.EqualTo(new DcganLayout(depth, startHeight, startWidth)));
    }
}
