using System.Linq;
using Microsoft.ML.Gan.Data;
using Microsoft.ML.Gan.Networks;
using Microsoft.ML.Gan.Torch;
using NUnit.Framework;
using TorchSharp;

namespace Microsoft.ML.Gan.Tests.Networks;

/// <summary><see cref="NetworkSize"/> counts, from the spec alone, the parameters <see cref="GanNetworkFactory"/> builds.</summary>
[TestFixture]
public sealed class NetworkSizeTests
{
    [TestCase(GanArchitecture.Mlp, 1, 28, 28, 100, 1, false, true)]
    [TestCase(GanArchitecture.Mlp, 3, 16, 32, 8, 8, true, true)]
    [TestCase(GanArchitecture.Dcgan, 1, 28, 28, 100, 1, false, true)]
    [TestCase(GanArchitecture.Dcgan, 3, 32, 32, 64, 1, false, false)]
    [TestCase(GanArchitecture.Dcgan, 3, 64, 48, 16, 16, true, false)]
    [TestCase(GanArchitecture.Dcgan, 1, 128, 128, 128, 128, false, true)]
    [TestCase(GanArchitecture.ResNet, 1, 28, 28, 100, 1, true, false)]
    [TestCase(GanArchitecture.ResNet, 3, 64, 64, 16, 16, false, false)]
    [TestCase(GanArchitecture.ResNet, 3, 16, 32, 8, 1, true, false)]
    [TestCase(GanArchitecture.ResNet, 3, 256, 256, 128, 1, true, false)]
    public void ParameterCountsMatchTheBuiltNetworks(
        GanArchitecture architecture, int channels, int height, int width, int latent, int outputs, bool spectralNorm, bool batchNorm)
    {
        var spec = new NetworkSpec(architecture, new ImageShape(channels, height, width), latent, outputs, spectralNorm, batchNorm);
        using var init = new torch.Generator(1);
        using var generator = GanNetworkFactory.CreateGenerator(spec, init);
        using var discriminator = GanNetworkFactory.CreateDiscriminator(spec, init);
        long generatorCount = generator.parameters().Sum(p => p.numel());
        long discriminatorCount = discriminator.parameters().Sum(p => p.numel());

        NetworkSize size = NetworkSize.Of(spec);

        Assert.That(size.GeneratorParameters, Is.EqualTo(generatorCount));
        Assert.That(size.Parameters, Is.EqualTo(generatorCount + discriminatorCount));
    }

    [Test]
    public void ActivationsOfTheMnistDcgan()
    {
        // G: Linear, BatchNorm1d, ReLU at 128·7·7 = 6,272 each; ConvT, BatchNorm2d, ReLU at 64·14·14 = 12,544 each;
        // ConvT, Tanh at 1·28·28 = 784 each. D: Conv, LeakyReLU at 64·14·14; Conv, BatchNorm2d, LeakyReLU at 128·7·7; Linear 1.
        double expected = (3 * 6272) + (3 * 12544) + (2 * 784) + (2 * 12544) + (3 * 6272) + 1;

        Assert.That(NetworkSize.Of(new NetworkSpec(GanArchitecture.Dcgan, new ImageShape(1, 28, 28), 100)).ActivationsPerImage, Is.EqualTo(expected));
    }

    [Test]
    public void SizesBeyondALongAreCounted()
    {
        // 3×23170×23170 is the largest square ML.NET's image type holds; its Mlp has about 5e11 weights.
        NetworkSize size = NetworkSize.Of(new NetworkSpec(GanArchitecture.Mlp, new ImageShape(3, 23170, 23170), int.MaxValue));

        Assert.That(size.Parameters, Is.GreaterThan(5e11).And.LessThan(1e13));
        Assert.That(size.ActivationsPerImage, Is.GreaterThan(2 * 3.0 * 23170 * 23170));
    }
}
