using System.Linq;
using Microsoft.ML.Gan.Data;
using Microsoft.ML.Gan.Networks;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Networks;

/// <summary>
/// <see cref="ImageClassifierNetwork.ParameterCount"/> counts, from the sizes alone, what the constructor builds: a loader
/// relies on it to refuse a file that cannot hold the network it describes.
/// </summary>
[TestFixture]
public sealed class ImageClassifierNetworkTests
{
    [TestCase(1, 8, 8, 8, 3)]
    [TestCase(3, 32, 32, 128, 10)]
    [TestCase(1, 28, 21, 64, 2)]
    public void ParameterCountMatchesTheBuiltNetwork(int channels, int height, int width, int features, int classes)
    {
        var shape = new ImageShape(channels, height, width);
        using var network = new ImageClassifierNetwork(shape, features, classes);

        Assert.That(ImageClassifierNetwork.ParameterCount(shape, features, classes), Is.EqualTo(network.parameters().Sum(p => p.numel())));
    }
}
