using System.Collections.Generic;
using Microsoft.ML.Gan.Training;
using NUnit.Framework;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Tests.Training;

/// <summary>The finite limits of <see cref="BlowUpDetector"/>, and how <see cref="DivergenceGuard"/> reports them in each mode.</summary>
[TestFixture]
public class BlowUpDetectorTests
{
    private static GanTrainingRecord Record(int step, float lossD = 1, float lossG = 1, float real = 0.7f, float fake = 0.3f) =>
        new(step, 1, lossD, lossG, real, fake);

    [TestCase(GanLoss.NonSaturating, 999f, false)]
    [TestCase(GanLoss.NonSaturating, -1001f, true)]
    [TestCase(GanLoss.Hinge, 1001f, true)]
    [TestCase(GanLoss.LeastSquares, 1001f, true)]
    [TestCase(GanLoss.WassersteinGradientPenalty, -5e4f, false)]
    [TestCase(GanLoss.WassersteinGradientPenalty, 2e5f, true)]
    [TestCase(GanLoss.GanQp, 5e4f, false)]
    public void LossLimitDependsOnTheLossKind(GanLoss loss, float lossG, bool blownUp)
    {
        string? finding = new BlowUpDetector(loss).CheckLosses(Record(100, lossG: lossG));
        Assert.That(finding, blownUp ? Does.StartWith("loss_G = ").And.Contain("finite, but beyond") : Is.Null);
    }

    [Test]
    public void WeightGrowthCountsFromTheInitialNorm()
    {
        Assert.That(BlowUpDetector.CheckWeightGrowth("the generator's weights", 999, 1), Is.Null);
        Assert.That(BlowUpDetector.CheckWeightGrowth("the generator's weights", 2.5e4, 2), Does.Contain("the generator's weights grew to 1.25e+04 times"));
        Assert.That(BlowUpDetector.CheckWeightGrowth("the generator's weights", 5, 0), Is.Null, "no scale to grow from");
    }

    [Test]
    public void SaturationNeedsALongStretchOfConsecutiveSaturatedLogPoints()
    {
        var detector = new BlowUpDetector(GanLoss.NonSaturating);
        // 400 saturated updates, then one log point that is not: the stretch starts again.
        for (int step = 100; step <= 400; step += 100)
        {
            Assert.That(detector.CheckSaturation(Record(step, real: 0.999f, fake: 0.001f), 100, out _), Is.Null);
        }
        Assert.That(detector.CheckSaturation(Record(500, real: 0.98f, fake: 0.001f), 100, out _), Is.Null);
        var findings = new List<string?>();
        for (int step = 600; step <= 1000; step += 100)
        {
            findings.Add(detector.CheckSaturation(Record(step, real: 0.999f, fake: 0.001f), 100, out int first));
            Assert.That(first, Is.EqualTo(501));
        }
        Assert.That(findings[..4], Is.All.Null);
        Assert.That(findings[4], Does.Contain("the discriminator saturated").And.Contain("over 500 generator updates (5 log points"));
    }

    [Test]
    public void OneLongSaturatedLogPointIsNotEnough()
    {
        var detector = new BlowUpDetector(GanLoss.Minimax);
        Assert.That(detector.CheckSaturation(Record(1000, real: 1, fake: 0), 1000, out _), Is.Null);
        Assert.That(detector.CheckSaturation(Record(2000, real: 1, fake: 0), 1000, out _), Is.Null);
        Assert.That(detector.CheckSaturation(Record(3000, real: 1, fake: 0), 1000, out int first), Does.Contain("over 3000 generator updates (3 log points"));
        Assert.That(first, Is.EqualTo(1));
    }

    [TestCase(GanLoss.Wasserstein)]
    [TestCase(GanLoss.Hinge)]
    [TestCase(GanLoss.LeastSquares)]
    public void RawScoresNeverCountAsSaturated(GanLoss loss)
    {
        // These losses report D's raw scores, for which 1 and 0 mean nothing special.
        var detector = new BlowUpDetector(loss);
        for (int step = 100; step <= 1000; step += 100)
        {
            Assert.That(detector.CheckSaturation(Record(step, real: 1, fake: 0), 100, out _), Is.Null);
        }
    }

    [Test]
    public void GuardStopsOnGrownWeightsOrWarnsOncePerAppearanceOrIgnoresThem()
    {
        using var generator = nn.Linear(4, 4);
        using var discriminator = nn.Linear(4, 1);
        var warnings = new List<string>();
        using var strict = new DivergenceGuard(CPU, generator, discriminator, GanLoss.NonSaturating, FiniteDivergenceHandling.Error, warnings.Add);
        using var lenient = new DivergenceGuard(CPU, generator, discriminator, GanLoss.NonSaturating, FiniteDivergenceHandling.Warning, warnings.Add);
        using var ignoring = new DivergenceGuard(CPU, generator, discriminator, GanLoss.NonSaturating, FiniteDivergenceHandling.Ignore, warnings.Add);

        Scale(generator, 1e4);
        var error = Assert.Throws<GanTrainingDivergedException>(() => strict.Flush(10));
        Assert.That(error!.Message, Does.Contain("between generator updates 1 and 10: the generator's weights grew to 1e+04 times their initial norm"));

        lenient.Flush(10);
        lenient.Flush(20);
        Assert.That(warnings, Has.Count.EqualTo(1));
        Assert.That(warnings[0], Does.Contain("the generator's weights grew").And.Contain("Training goes on"));
        Scale(generator, 1e-4);
        lenient.Flush(30);
        Scale(generator, 1e4);
        lenient.Flush(40);
        Assert.That(warnings, Has.Count.EqualTo(2), "warned again after the weights came back and grew again");

        Assert.DoesNotThrow(() => ignoring.Flush(10));
        Assert.That(warnings, Has.Count.EqualTo(2));
    }

    private static void Scale(nn.Module module, double factor)
    {
        using var noGrad = no_grad();
        foreach (var parameter in module.parameters())
        {
            parameter.mul_(factor);
        }
    }
}
