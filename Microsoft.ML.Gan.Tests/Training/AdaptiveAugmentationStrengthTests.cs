using System;
using System.Linq;
using Microsoft.ML.Gan.Training;
using NUnit.Framework;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Tests.Training;

/// <summary>
/// ADA's controller: p starts at 0, moves by batch / adjustment images per update toward augmenting more while the
/// discriminator calls more of the real batch real than the target, stays in [0, 1], and decides how many images each
/// transform reaches.
/// </summary>
[TestFixture]
public sealed class AdaptiveAugmentationStrengthTests
{
    [Test]
    public void StartsAtZeroAndRisesByOneStepPerUpdateWhileTheRealBatchIsCalledRealAboveTheTarget()
    {
        using var strength = new AdaptiveAugmentationStrength(target: 0.6, threshold: 0, adjustmentImages: 1000, CPU);
        Assert.That(strength.Value, Is.EqualTo(0));
        using var scope = NewDisposeScope();
        // 9 of 10 scores positive: r = (9 − 1) / 10 = 0.8, above the target.
        Tensor confident = tensor(new float[] { 3, 2, 1, 0.5f, 4, 2, 1, 1, 3, -1 });
        strength.Observe(confident);
        strength.Observe(confident);
        Assert.That(strength.Value, Is.EqualTo(2 * 10 / 1000.0).Within(1e-6));
    }

    [Test]
    public void FallsWhileTheRealBatchIsCalledRealBelowTheTargetAndNeverLeavesZeroToOne()
    {
        using var strength = new AdaptiveAugmentationStrength(target: 0.6, threshold: 0, adjustmentImages: 20, CPU);
        using var scope = NewDisposeScope();
        Tensor unsure = tensor(new float[] { 1, -1, 2, -2, 0.1f, -0.1f, 1, 1, -1, 1 }); // r = 0.2
        strength.Observe(unsure);
        Assert.That(strength.Value, Is.EqualTo(0), "clamped at 0");

        Tensor confident = ones(10);
        for (int i = 0; i < 3; i++)
        {
            strength.Observe(confident);
        }
        Assert.That(strength.Value, Is.EqualTo(1), "10 images of 20 per update: clamped at 1 after the second");
        strength.Observe(unsure);
        Assert.That(strength.Value, Is.EqualTo(0.5).Within(1e-6));
    }

    // LSGAN's targets are 0 and 1: a score of 0.7 is "real", 0.3 is "fake".
    [Test]
    public void ReadsScoresAgainstTheLossThreshold()
    {
        using var logit = new AdaptiveAugmentationStrength(target: 0.6, threshold: 0, adjustmentImages: 100, CPU);
        using var leastSquares = new AdaptiveAugmentationStrength(target: 0.6, threshold: 0.5, adjustmentImages: 100, CPU);
        using var scope = NewDisposeScope();
        Tensor scores = full(new long[] { 10, 1 }, 0.3f);
        logit.Observe(scores);
        leastSquares.Observe(scores);
        leastSquares.Observe(scores);
        Assert.That((logit.Value, leastSquares.Value), Is.EqualTo((0.1, 0.0)).Within(1e-6));
    }

    [Test]
    public void RestoreSetsTheProbability()
    {
        using var strength = new AdaptiveAugmentationStrength(target: 0.6, threshold: 0, adjustmentImages: 100, CPU);
        strength.Restore(0.375);
        Assert.That(strength.Value, Is.EqualTo(0.375));
    }

    // At p = 0 the augmentation is the identity; at 1 every image is transformed; in between about p of them, each
    // transform drawn for each image on its own.
    [TestCase(0.0, 0, 0)]
    [TestCase(1.0, 400, 400)]
    [TestCase(0.25, 70, 130)]
    public void EachImageIsTransformedWithProbabilityP(double p, int atLeast, int atMost)
    {
        using var strength = new AdaptiveAugmentationStrength(target: 0.6, threshold: 0, adjustmentImages: 100, CPU);
        strength.Restore(p);
        DifferentiableAugmentation augmentation = DifferentiableAugmentation.Parse("noise", "Augmentation")!.WithStrength(strength);
        using var scope = NewDisposeScope();
        using var noise = new torch.Generator(9);
        Tensor images = zeros(400, 1, 4, 4);

        float[] result = augmentation.Apply(images, noise).data<float>().ToArray();

        int changed = Enumerable.Range(0, 400).Count(n => result.AsSpan(n * 16, 16).ToArray().Any(value => value != 0));
        Assert.That(changed, Is.InRange(atLeast, atMost));
    }
}
