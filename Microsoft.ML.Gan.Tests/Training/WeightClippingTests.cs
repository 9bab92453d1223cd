using System;
using System.Linq;
using Microsoft.ML.Gan.Data;
using Microsoft.ML.Gan.Networks;
using Microsoft.ML.Gan.Tests.Networks;
using Microsoft.ML.Gan.Torch;
using Microsoft.ML.Gan.Training;
using NUnit.Framework;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Tests.Training;

[TestFixture]
public sealed class WeightClippingTests
{
    [Test]
    public void EveryParameterEndsWithinTheLimitAndInnerValuesAreKept()
    {
        const double limit = 0.01;
        using var init = new torch.Generator(2);
        var spec = new NetworkSpec(GanArchitecture.Dcgan, new ImageShape(1, 16, 16), 16); // depth 2: has a BatchNorm2d
        using var critic = GanNetworkFactory.CreateDiscriminator(spec, init);
        var before = critic.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());

        // BatchNorm scales start near 1 and DCGAN weights N(0, 0.02) often exceed 0.01: clipping has work to do.
        Assert.That(before.Values.Max(t => t.abs().max().item<float>()), Is.GreaterThan(0.5f));

        WeightClipping.Clip(critic, limit);

        foreach (var (name, parameter) in critic.named_parameters())
        {
            using var scope = torch.NewDisposeScope();
            Assert.That(parameter.abs().max().item<float>(), Is.LessThanOrEqualTo((float)limit), name);
            Assert.That(parameter.requires_grad, Is.True, name);
            var expected = before[name].clamp(-limit, limit);
            Assert.That(TensorComparison.Identical(parameter, expected), Is.True, name);
        }

        foreach (var tensor in before.Values)
        {
            tensor.Dispose();
        }
    }

    [TestCase(0.0)]
    [TestCase(-1.0)]
    [TestCase(double.NaN)]
    public void RejectsANonPositiveLimit(double limit)
    {
        using var module = nn.Linear(2, 2);
        Assert.Throws<ArgumentOutOfRangeException>(() => WeightClipping.Clip(module, limit));
    }
}
