using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Gan.Data;
using Microsoft.ML.Gan.Networks;
using NUnit.Framework;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Tests.Networks;

/// <summary>
/// The weights a loader expects from a description never exceed what the built network saves (a valid file is never
/// refused), and stay within a small factor of it (a crafted one cannot make the loader build much more than it holds).
/// </summary>
[TestFixture]
public class NetworkSizeTests
{
    private static IEnumerable<TestCaseData> Specs()
    {
        foreach (GanArchitecture architecture in new[] { GanArchitecture.Mlp, GanArchitecture.Dcgan })
        {
            foreach ((int channels, int height, int width) in new[] { (1, 8, 8), (1, 28, 28), (3, 32, 32), (3, 64, 48) })
            {
                yield return new TestCaseData(architecture, channels, height, width, 4, 1, false);
                yield return new TestCaseData(architecture, channels, height, width, 100, 100, true);
            }
        }
    }

    [TestCaseSource(nameof(Specs))]
    public void BoundsTheSavedWeightsOfBuiltNetworks(GanArchitecture architecture, int channels, int height, int width, int latent, int outputs,
        bool spectralNormalization)
    {
        var spec = new NetworkSpec(architecture, new ImageShape(channels, height, width), latent, outputs, spectralNormalization,
            DiscriminatorBatchNorm: !spectralNormalization);
        using var initRandom = new torch.Generator(1);
        using nn.Module<Tensor, Tensor> generator = GanNetworkFactory.CreateGenerator(spec, initRandom);
        using nn.Module<Tensor, Tensor> discriminator = GanNetworkFactory.CreateDiscriminator(spec, initRandom);

        AssertBounds(NetworkSize.Generator(spec), generator);
        AssertBounds(NetworkSize.Discriminator(spec), discriminator);
    }

    [TestCase(1, 8, 8, 8, 3)]
    [TestCase(3, 32, 32, 128, 10)]
    [TestCase(1, 28, 20, 64, 2)]
    public void BoundsTheSavedWeightsOfImageClassifiers(int channels, int height, int width, int features, int classes)
    {
        var shape = new ImageShape(channels, height, width);
        using var network = new ImageClassifierNetwork(shape, features, classes);

        AssertBounds(NetworkSize.ImageClassifier(shape, features, classes), network);
    }

    private static void AssertBounds(long bound, nn.Module module)
    {
        long saved = module.state_dict().Values.Where(t => t.is_floating_point()).Sum(t => t.numel());
        Assert.That(bound, Is.LessThanOrEqualTo(saved).And.GreaterThan(saved / 3));
    }
}
