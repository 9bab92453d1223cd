using System;
using System.Linq;
using Microsoft.ML.Gan.Data;
using Microsoft.ML.Gan.Networks;
using Microsoft.ML.Gan.Torch;
using NUnit.Framework;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Tests.Networks;

[TestFixture]
public sealed class NetworkInitializationTests
{
    private static readonly ImageShape Mnist = new(1, 28, 28);

    // The global RNG is reseeded differently before each build: equal weights prove that only initRandom was used.
    [TestCase(GanArchitecture.Mlp, false)]
    [TestCase(GanArchitecture.Mlp, true)]
    [TestCase(GanArchitecture.Dcgan, false)]
    [TestCase(GanArchitecture.Dcgan, true)]
    public void SameSeedGivesIdenticalWeightsWhateverTheGlobalRng(GanArchitecture architecture, bool spectralNormalization)
    {
        var spec = new NetworkSpec(architecture, Mnist, 32, SpectralNormalization: spectralNormalization);

        using var generatorA = Build(GanNetworkFactory.CreateGenerator, spec, seed: 7, globalSeed: 1);
        using var generatorB = Build(GanNetworkFactory.CreateGenerator, spec, seed: 7, globalSeed: 2);
        using var discriminatorA = Build(GanNetworkFactory.CreateDiscriminator, spec, seed: 7, globalSeed: 3);
        using var discriminatorB = Build(GanNetworkFactory.CreateDiscriminator, spec, seed: 7, globalSeed: 4);

        AssertSameState(generatorA, generatorB);
        AssertSameState(discriminatorA, discriminatorB); // includes the spectral-norm u and v buffers
    }

    [TestCase(GanArchitecture.Mlp)]
    [TestCase(GanArchitecture.Dcgan)]
    public void DifferentSeedsGiveDifferentWeights(GanArchitecture architecture)
    {
        var spec = new NetworkSpec(architecture, Mnist, 32, SpectralNormalization: true);

        foreach (var create in new Func<NetworkSpec, torch.Generator, nn.Module<Tensor, Tensor>>[]
                 { GanNetworkFactory.CreateGenerator, GanNetworkFactory.CreateDiscriminator })
        {
            using var a = Build(create, spec, seed: 7, globalSeed: 1);
            using var b = Build(create, spec, seed: 8, globalSeed: 1);
            var stateA = a.state_dict();
            var stateB = b.state_dict();

            // Every randomly drawn tensor differs (all weights; biases are random too in the fan-in scheme).
            foreach (var (name, tensor) in stateA)
            {
                bool random = name.EndsWith(".weight", StringComparison.Ordinal) && !name.Contains(".bn", StringComparison.Ordinal)
                    || name.EndsWith(".u", StringComparison.Ordinal);
                if (random)
                {
                    Assert.That(TensorComparison.Identical(tensor, stateB[name]), Is.False, name);
                }
            }
        }
    }

    [Test]
    public void DcganWeightsFollowTheRadfordInitialisation()
    {
        var spec = new NetworkSpec(GanArchitecture.Dcgan, Mnist, 100);
        using var generator = Build(GanNetworkFactory.CreateGenerator, spec, seed: 3, globalSeed: 3);
        var parameters = generator.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using var scope = torch.NewDisposeScope();

        // 627,200 draws of N(0, 0.02).
        var fc = parameters["project.fc.weight"];
        Assert.That(fc.mean().item<float>(), Is.EqualTo(0.0).Within(5e-4));
        Assert.That(fc.std().item<float>(), Is.EqualTo(0.02).Within(5e-4));

        // 6,272 draws of N(1, 0.02).
        var bn = parameters["project.bn.weight"];
        Assert.That(bn.mean().item<float>(), Is.EqualTo(1.0).Within(2e-3));
        Assert.That(bn.std().item<float>(), Is.EqualTo(0.02).Within(2e-3));

        foreach (var (name, parameter) in parameters.Where(p => p.Key.EndsWith(".bias", StringComparison.Ordinal)))
        {
            Assert.That(parameter.abs().max().item<float>(), Is.EqualTo(0f), name);
        }
    }

    [Test]
    public void MlpWeightsFollowTheFanInUniformInitialisation()
    {
        var spec = new NetworkSpec(GanArchitecture.Mlp, Mnist, 100);
        using var discriminator = Build(GanNetworkFactory.CreateDiscriminator, spec, seed: 3, globalSeed: 3);
        var parameters = discriminator.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using var scope = torch.NewDisposeScope();

        // fc1: fan-in 784, so U(−1/28, 1/28); 50,176 draws reach close to the bound.
        var fc1 = parameters["layers.fc1.weight"];
        Assert.That(fc1.abs().max().item<float>(), Is.LessThanOrEqualTo(1f / 28f).And.GreaterThan(0.99f / 28f));
        var bias = parameters["layers.fc1.bias"];
        Assert.That(bias.abs().max().item<float>(), Is.LessThanOrEqualTo(1f / 28f).And.GreaterThan(0f));

        // fc3: fan-in 64, so U(−1/8, 1/8).
        Assert.That(parameters["layers.fc3.weight"].abs().max().item<float>(), Is.LessThanOrEqualTo(0.125f).And.GreaterThan(0.05f));
    }

    private static nn.Module<Tensor, Tensor> Build(
        Func<NetworkSpec, torch.Generator, nn.Module<Tensor, Tensor>> create, NetworkSpec spec, ulong seed, long globalSeed)
    {
        torch.manual_seed(globalSeed);
        using var initRandom = new torch.Generator(seed);
        return create(spec, initRandom);
    }

    private static void AssertSameState(nn.Module a, nn.Module b)
    {
        var stateA = a.state_dict();
        var stateB = b.state_dict();
        Assert.That(stateA.Keys, Is.EqualTo(stateB.Keys));
        foreach (var (name, tensor) in stateA)
        {
            Assert.That(TensorComparison.Identical(tensor, stateB[name]), Is.True, name);
        }
    }
}
