using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Gan.Data;
using Microsoft.ML.Gan.Networks;
using Microsoft.ML.Gan.Torch;
using Microsoft.ML.Gan.Training;
using NUnit.Framework;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Tests.Training;

/// <summary>
/// Where O-GAN's gradients go, read from parameter gradients: in the critic's update ρ's gradient reaches E and not G;
/// in the generator's update it reaches G through E(G(z)), and E's weights get no gradient at all. The ρ term's own
/// gradient is isolated as the difference between λ = 1 and λ = 0 on the same noise.
/// </summary>
[TestFixture]
public class OGanGameGradientTests
{
    private const int Latent = 8;

    private sealed class Networks : System.IDisposable
    {
        public Networks()
        {
            var spec = new NetworkSpec(GanArchitecture.Dcgan, new ImageShape(1, 8, 8), Latent, DiscriminatorOutputs: Latent);
            using var initRandom = new Generator(42);
            Generator = GanNetworkFactory.CreateGenerator(spec, initRandom);
            Critic = new OGanCritic(spec, scoreHead: true, initRandom);
            using var dataRandom = new Generator(7);
            Images = rand(new long[] { 16, 1, 8, 8 }, generator: dataRandom) * 2 - 1;
        }

        public nn.Module<Tensor, Tensor> Generator { get; }

        public OGanCritic Critic { get; }

        public Tensor Images { get; }

        public OGanGame Game(double correlationWeight, GanLoss loss = GanLoss.GanQp, double? generatorCorrelationWeight = null)
        {
            var options = new OGanTrainer.Options
            {
                Loss = loss, CorrelationWeight = correlationWeight, GeneratorCorrelationWeight = generatorCorrelationWeight,
                QuadraticPotentialWeight = 0.25, GradientPenaltyWeight = 10,
            };
            return new(Generator, Critic, AdversarialLoss.Create(loss), options.Regularizers().ToList(), Latent, augmentation: null);
        }

        public void Dispose()
        {
            Generator.Dispose();
            Critic.Dispose();
            Images.Dispose();
        }
    }

    // Gradients of every parameter of each network after one backward pass of the loss; null where none arrived.
    private static (List<Tensor?> Generator, List<Tensor?> Critic) Gradients(Networks networks, System.Func<Tensor> loss)
    {
        networks.Generator.zero_grad();
        networks.Critic.zero_grad();
        using (var scope = NewDisposeScope())
        {
            loss().backward();
        }
        return (Copy(networks.Generator), Copy(networks.Critic));
    }

    private static List<Tensor?> Copy(nn.Module module) =>
        module.parameters().Select(parameter => parameter.grad is { } grad ? grad.clone() : null).ToList();

    private static double Norm(List<Tensor?> gradients) =>
        gradients.Where(g => g is not null).Sum(g => g!.square().sum().item<float>());

    private static double DifferenceNorm(List<Tensor?> left, List<Tensor?> right) =>
        left.Zip(right).Where(pair => pair.First is not null && pair.Second is not null)
            .Sum(pair => (pair.First! - pair.Second!).square().sum().item<float>());

    [TestCase(GanLoss.GanQp)]
    [TestCase(GanLoss.NonSaturating)]
    public void CriticUpdateSendsTheCorrelationGradientToTheEncoderOnly(GanLoss loss)
    {
        using var networks = new Networks();
        var batch = new TrainingBatch(networks.Images, null);
        var withRho = Gradients(networks, () => { using var noise = new Generator(3); return networks.Game(1.0, loss).DiscriminatorLoss(batch, noise, update: 0).Loss; });
        var without = Gradients(networks, () => { using var noise = new Generator(3); return networks.Game(0.0, loss).DiscriminatorLoss(batch, noise, update: 0).Loss; });

        Assert.Multiple(() =>
        {
            Assert.That(withRho.Generator, Is.All.Null, "the critic's update must not reach G");
            Assert.That(Norm(withRho.Critic), Is.GreaterThan(0));
            Assert.That(DifferenceNorm(withRho.Critic, without.Critic), Is.GreaterThan(1e-10), "ρ's gradient must reach E");
        });
    }

    [TestCase(GanLoss.GanQp)]
    [TestCase(GanLoss.NonSaturating)]
    public void GeneratorUpdateSendsTheCorrelationGradientToTheGeneratorThroughTheEncoder(GanLoss loss)
    {
        using var networks = new Networks();
        var batch = new TrainingBatch(networks.Images, null);
        var withRho = Gradients(networks, () => { using var noise = new Generator(3); return networks.Game(1.0, loss).GeneratorLoss(batch, noise); });
        var without = Gradients(networks, () => { using var noise = new Generator(3); return networks.Game(0.0, loss).GeneratorLoss(batch, noise); });

        Assert.Multiple(() =>
        {
            Assert.That(withRho.Critic, Is.All.Null, "the generator's update must leave E's weights without gradient");
            Assert.That(DifferenceNorm(withRho.Generator, without.Generator), Is.GreaterThan(1e-10), "ρ's gradient must reach G");
            Assert.That(networks.Critic.parameters().All(parameter => parameter.requires_grad), Is.True, "E must be trainable again afterwards");
        });
    }

    [Test]
    public void GeneratorCorrelationWeightChangesOnlyTheGeneratorsUpdate()
    {
        using var networks = new Networks();
        var batch = new TrainingBatch(networks.Images, null);
        List<Tensor?> CriticGradients(double weight, double? generatorWeight) =>
            Gradients(networks, () => { using var noise = new Generator(3); return networks.Game(weight, generatorCorrelationWeight: generatorWeight).DiscriminatorLoss(batch, noise, update: 0).Loss; }).Critic;
        List<Tensor?> GeneratorGradients(double weight, double? generatorWeight) =>
            Gradients(networks, () => { using var noise = new Generator(3); return networks.Game(weight, generatorCorrelationWeight: generatorWeight).GeneratorLoss(batch, noise); }).Generator;

        Assert.Multiple(() =>
        {
            Assert.That(DifferenceNorm(CriticGradients(1.0, 0.0), CriticGradients(1.0, null)), Is.EqualTo(0).Within(1e-12), "the critic keeps CorrelationWeight");
            Assert.That(DifferenceNorm(GeneratorGradients(1.0, 0.0), GeneratorGradients(0.0, null)), Is.EqualTo(0).Within(1e-12), "G's update without ρ is the twin's");
            Assert.That(DifferenceNorm(GeneratorGradients(0.0, 1.0), GeneratorGradients(1.0, null)), Is.EqualTo(0).Within(1e-12), "G's update takes its own λ");
            Assert.That(DifferenceNorm(GeneratorGradients(1.0, 0.25), GeneratorGradients(1.0, null)), Is.GreaterThan(1e-10));
        });
    }

    [Test]
    public void CriticUpdateTrainsTheScoreHeadAndTheEncoderLayers()
    {
        using var networks = new Networks();
        var batch = new TrainingBatch(networks.Images, null);
        var gradients = Gradients(networks, () => { using var noise = new Generator(3); return networks.Game(1.0).DiscriminatorLoss(batch, noise, update: 0).Loss; });
        Assert.That(gradients.Critic, Has.None.Null);
    }
}
