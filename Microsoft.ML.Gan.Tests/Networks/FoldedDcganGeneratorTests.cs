using System.Collections.Generic;
using Microsoft.ML.Gan.Data;
using Microsoft.ML.Gan.Networks;
using NUnit.Framework;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Tests.Networks;

/// <summary>The inference copy Generate runs: batch norms folded away, the same images as the trained network in eval mode.</summary>
[TestFixture]
public sealed class FoldedDcganGeneratorTests
{
    private const int Latent = 12;

    private static IEnumerable<TestCaseData> Shapes()
    {
        yield return new TestCaseData(1, 28);
        yield return new TestCaseData(3, 32);
        yield return new TestCaseData(3, 64);
    }

    [TestCaseSource(nameof(Shapes))]
    public void FoldedCopyDrawsTheImagesOfTheTrainedNetworkInEvalMode(int channels, int size)
    {
        var spec = new NetworkSpec(GanArchitecture.Dcgan, new ImageShape(channels, size, size), Latent);
        using var init = new torch.Generator(3);
        using var generator = GanNetworkFactory.CreateGenerator(spec, init);
        GiveBatchNormsTrainedStatistics(generator, init);
        generator.eval();
        using var folded = InferenceGenerator.FoldedCopyOrNull(generator)!;
        Assert.That(folded, Is.InstanceOf<FoldedDcganGenerator>());

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor z = randn(new long[] { 5, Latent }, generator: init);
        Tensor expected = generator.call(z);
        Tensor actual = ((nn.Module<Tensor, Tensor>)folded).call(z);
        Assert.That(actual.shape, Is.EqualTo(expected.shape));
        Assert.That((actual - expected).abs().max().item<float>(), Is.LessThan(1e-5f));
        Assert.That(expected.std().item<float>(), Is.GreaterThan(0.01f), "statistics that leave the images flat would hide a wrong fold");
    }

    [Test]
    public void ConditionalDcganIsFoldedAroundTheSameClassInput()
    {
        var spec = new NetworkSpec(GanArchitecture.Dcgan, new ImageShape(1, 28, 28), Latent);
        using var init = new torch.Generator(4);
        using var generator = GanNetworkFactory.CreateConditionalGenerator(spec, classes: 3, init);
        GiveBatchNormsTrainedStatistics(generator, init);
        generator.eval();
        using var folded = (ConditionalGenerator)InferenceGenerator.FoldedCopyOrNull(generator)!;

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor z = randn(new long[] { 6, Latent }, generator: init);
        Tensor classes = tensor(new long[] { 0, 1, 2, 2, 1, 0 });
        Assert.That((folded.call(z, classes) - generator.call(z, classes)).abs().max().item<float>(), Is.LessThan(1e-5f));
    }

    [Test]
    public void OtherArchitecturesHaveNoFoldedCopy()
    {
        foreach (GanArchitecture architecture in new[] { GanArchitecture.Mlp, GanArchitecture.ResNet })
        {
            using var init = new torch.Generator(5);
            using var generator = GanNetworkFactory.CreateGenerator(new NetworkSpec(architecture, new ImageShape(1, 28, 28), Latent), init);
            Assert.That(InferenceGenerator.FoldedCopyOrNull(generator), Is.Null, architecture.ToString());
        }
    }

    // Fresh batch norms have mean 0, variance 1, γ 1 and β 0, which a fold that ignored them would also reproduce.
    private static void GiveBatchNormsTrainedStatistics(nn.Module generator, torch.Generator random)
    {
        using var noGrad = no_grad();
        foreach ((string _, nn.Module module) in generator.named_modules())
        {
            if (module is BatchNorm norm)
            {
                using var scope = NewDisposeScope();
                norm.running_mean!.copy_(randn(norm.running_mean.shape, generator: random).mul(0.3));
                norm.running_var!.copy_(rand(norm.running_var.shape, generator: random).mul(2).add(0.2));
                norm.weight!.copy_(rand(norm.weight.shape, generator: random).add(0.5));
                norm.bias!.copy_(randn(norm.bias.shape, generator: random).mul(0.2));
            }
        }
    }
}
