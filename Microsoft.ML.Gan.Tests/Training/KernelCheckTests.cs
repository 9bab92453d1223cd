using System;
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
/// The pass through both networks before training: invisible to a run (no weight, statistic, mode or random stream
/// changes), and a clear error before the first update when the networks cannot compute finite values from finite weights.
/// </summary>
[TestFixture]
[NonParallelizable]
public class KernelCheckTests
{
    [SetUp]
    [TearDown]
    public void BackToOneDnn() => OneDnnConvolutions.ResetForTests();

    [TestCase(GanArchitecture.Dcgan)]
    [TestCase(GanArchitecture.ResNet)]
    public void CheckLeavesWeightsStatisticsAndModesAsTheyWere(GanArchitecture architecture)
    {
        using var scope = NewDisposeScope();
        (UnconditionalGame game, NetworkSpec spec) = Game(architecture);
        game.Generator.train();
        game.Discriminator.train();
        Dictionary<string, Tensor> before = State(game);
        var warnings = new List<string>();

        KernelCheck.Run(game, spec, batchSize: 16, CPU, warnings.Add);

        Dictionary<string, Tensor> after = State(game);
        Assert.That(after.Keys, Is.EquivalentTo(before.Keys));
        Assert.That(before.Where(entry => !entry.Value.allclose(after[entry.Key], 0, 0, equal_nan: true)).Select(entry => entry.Key), Is.Empty,
            "batch-norm statistics, spectral-norm vectors and weights must be untouched");
        Assert.That(game.Generator.training && game.Discriminator.training, Is.True, "the modes must be restored");
        Assert.That(game.Generator.parameters().All(weight => weight.grad is null), Is.True, "no gradient may be left behind");
        // A warning only where this CPU's oneDNN convolutions are faulty, and then oneDNN is avoided from here on.
        Assert.That(warnings.Count == 1, Is.EqualTo(OneDnnConvolutions.Avoided));
    }

    [Test]
    public void NetworksThatCannotComputeFiniteValuesAreReportedBeforeTraining()
    {
        using var scope = NewDisposeScope();
        (UnconditionalGame game, NetworkSpec spec) = Game(GanArchitecture.Dcgan);
        // Finite weights, but a negative running variance: eval-mode batch norm takes its square root, as a broken kernel would give NaN.
        using (no_grad())
        {
            game.Generator.modules().OfType<TorchSharp.Modules.BatchNorm>().First().running_var!.fill_(-1);
        }

        var error = Assert.Throws<InvalidOperationException>(() => KernelCheck.Run(game, spec, batchSize: 8, CPU, _ => { }));

        Assert.That(error!.Message, Does.Contain("Dcgan networks for 1x16x16 images").And.Contain("before any update")
            .And.Contain("with libtorch's oneDNN convolutions and without them").And.Contain("ONEDNN_MAX_CPU_ISA=SSE41"));
        Assert.That(OneDnnConvolutions.Avoided, Is.False, "oneDNN is only avoided when the pass without it is finite");
    }

    [Test]
    public void NonFiniteWeightsAreLeftToTheDivergenceGuard()
    {
        using var scope = NewDisposeScope();
        (UnconditionalGame game, NetworkSpec spec) = Game(GanArchitecture.Dcgan);
        using (no_grad())
        {
            game.Generator.parameters().First().fill_(double.NaN);
        }

        Assert.DoesNotThrow(() => KernelCheck.Run(game, spec, batchSize: 8, CPU, _ => { }));
    }

    private static (UnconditionalGame Game, NetworkSpec Spec) Game(GanArchitecture architecture)
    {
        var spec = new NetworkSpec(architecture, new ImageShape(1, 16, 16), 8, SpectralNormalization: architecture == GanArchitecture.ResNet);
        using var init = new Generator(11);
        var game = new UnconditionalGame(GanNetworkFactory.CreateGenerator(spec, init), GanNetworkFactory.CreateDiscriminator(spec, init),
            AdversarialLoss.Create(GanLoss.NonSaturating), Array.Empty<Regularizer>(), spec.LatentDimension, augmentation: null);
        return (game, spec);
    }

    private static Dictionary<string, Tensor> State(UnconditionalGame game) =>
        game.Generator.state_dict().Select(entry => ("G." + entry.Key, entry.Value))
            .Concat(game.Discriminator.state_dict().Select(entry => ("D." + entry.Key, entry.Value)))
            .ToDictionary(entry => entry.Item1, entry => entry.Item2.clone());
}
