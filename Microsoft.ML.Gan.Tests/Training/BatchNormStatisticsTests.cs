using System;
using System.Linq;
using Microsoft.ML.Gan.Data;
using Microsoft.ML.Gan.Networks;
using Microsoft.ML.Gan.Torch;
using Microsoft.ML.Gan.Training;
using NUnit.Framework;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Tests.Training;

/// <summary>After the EMA replaces the generator's weights, its batch-norm statistics must describe the new weights.</summary>
[TestFixture]
public class BatchNormStatisticsTests
{
    [Test]
    public void RecomputedStatisticsMakeEvalModeMatchTheBatchStatistics()
    {
        using var scope = NewDisposeScope();
        var spec = new NetworkSpec(GanArchitecture.Dcgan, new ImageShape(1, 8, 8), 16, DiscriminatorOutputs: 1, SpectralNormalization: false, DiscriminatorBatchNorm: true);
        using var init = new Generator(5);
        var generator = GanNetworkFactory.CreateGenerator(spec, init);
        var game = new UnconditionalGame(generator, GanNetworkFactory.CreateDiscriminator(spec, init), AdversarialLoss.Create(GanLoss.NonSaturating), Array.Empty<Regularizer>(), spec.LatentDimension, augmentation: null);
        // Statistics that belong to other weights, as the raw generator's do after the average is copied in.
        foreach (var norm in generator.modules().OfType<TorchSharp.Modules.BatchNorm>())
        {
            using var noGrad = no_grad();
            norm.running_mean!.fill_(3);
            norm.running_var!.fill_(0.01);
        }
        using var latents = new Generator(9);
        Tensor z = randn(new long[] { 2000, spec.LatentDimension }, generator: latents);

        double before = EvalVersusBatchStatistics(game, z);
        BatchNormStatistics.Recompute(game, spec.LatentDimension, CPU, seed: 1);
        double after = EvalVersusBatchStatistics(game, z);

        TestContext.Out.WriteLine($"mean |eval - train-mode| output: {before:F4} before, {after:F4} after");
        Assert.That(before, Is.GreaterThan(0.1));
        Assert.That(after, Is.LessThan(0.02));
        Assert.That(generator.training, Is.False, "the generator is left in eval mode");
    }

    [Test]
    public void TheSameSeedGivesTheSameStatistics()
    {
        float[] First() => Statistics(seed: 4);

        Assert.That(Statistics(seed: 4), Is.EqualTo(First()));
        Assert.That(Statistics(seed: 5), Is.Not.EqualTo(First()));
    }

    private static float[] Statistics(int seed)
    {
        using var scope = NewDisposeScope();
        var spec = new NetworkSpec(GanArchitecture.Dcgan, new ImageShape(1, 8, 8), 16, DiscriminatorOutputs: 1, SpectralNormalization: false, DiscriminatorBatchNorm: true);
        using var init = new Generator(5);
        var generator = GanNetworkFactory.CreateGenerator(spec, init);
        var game = new UnconditionalGame(generator, GanNetworkFactory.CreateDiscriminator(spec, init), AdversarialLoss.Create(GanLoss.NonSaturating), Array.Empty<Regularizer>(), spec.LatentDimension, augmentation: null);
        BatchNormStatistics.Recompute(game, spec.LatentDimension, CPU, seed);
        return generator.modules().OfType<TorchSharp.Modules.BatchNorm>().SelectMany(norm => norm.running_mean!.data<float>().ToArray()).ToArray();
    }

    // Large-batch train-mode output uses the batch's own statistics: the eval-mode output should match it.
    private static double EvalVersusBatchStatistics(AdversarialGame game, Tensor z)
    {
        using var noGrad = no_grad();
        game.Generator.eval();
        Tensor inEval = game.Sample(z);
        game.Generator.train();
        Tensor inTrain = game.Sample(z);
        game.Generator.eval();
        return (inEval - inTrain).abs().mean().item<float>();
    }
}
