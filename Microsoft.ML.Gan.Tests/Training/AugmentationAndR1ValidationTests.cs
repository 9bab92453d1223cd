using System;
using System.Collections.Generic;
using Microsoft.ML.Gan.Tests.TestData;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Training;

/// <summary>Bad augmentation and R1 options are refused by every trainer, naming the option, before a row is read.</summary>
[TestFixture]
public class AugmentationAndR1ValidationTests
{
    private static readonly string[] Trainers = { "gan", "conditional", "ogan" };

    [TestCase(0.0)]
    [TestCase(-1.0)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public void R1WeightThatIsNotAFinitePositiveNumberIsNamed(double weight)
    {
        foreach (string trainer in Trainers)
        {
            var error = Assert.Throws<ArgumentOutOfRangeException>(() => Fit(trainer, o => o.R1Weight = weight), trainer);
            Assert.That(error!.ParamName, Is.EqualTo(nameof(GanTrainer.Options.R1Weight)), trainer);
            Assert.That(error.Message, Does.Contain("R1Weight must be a finite number > 0"), trainer);
        }
    }

    [TestCase(0)]
    [TestCase(-16)]
    public void R1IntervalBelowOneIsNamed(int interval)
    {
        foreach (string trainer in Trainers)
        {
            var error = Assert.Throws<ArgumentOutOfRangeException>(() => Fit(trainer, o => (o.R1Weight, o.R1Interval) = (1, interval)), trainer);
            Assert.That(error!.ParamName, Is.EqualTo(nameof(GanTrainer.Options.R1Interval)), trainer);
            Assert.That(error.Message, Does.Contain($"R1Interval must be at least 1; got {interval}."), trainer);
        }
    }

    [Test]
    public void UnknownAugmentationIsNamedWithTheValidOnes()
    {
        foreach (string trainer in Trainers)
        {
            var error = Assert.Throws<ArgumentException>(() => Fit(trainer, o => o.Augmentation = "color,flip"), trainer);
            Assert.That(error!.ParamName, Is.EqualTo(nameof(GanTrainer.Options.Augmentation)), trainer);
            Assert.That(error.Message, Does.Contain("'flip'").And.Contain("color, translation, cutout"), trainer);
        }
    }

    [TestCase(0.0)]
    [TestCase(1.0)]
    [TestCase(-0.5)]
    [TestCase(double.NaN)]
    public void AugmentationTargetOutsideZeroToOneIsNamed(double target)
    {
        foreach (string trainer in Trainers)
        {
            var error = Assert.Throws<ArgumentOutOfRangeException>(
                () => Fit(trainer, o => (o.Loss, o.Augmentation, o.AugmentationTarget) = (GanLoss.NonSaturating, "translation", target)), trainer);
            Assert.That(error!.ParamName, Is.EqualTo(nameof(GanTrainer.Options.AugmentationTarget)), trainer);
            Assert.That(error.Message, Does.Contain("AugmentationTarget must be in (0, 1)"), trainer);
        }
    }

    [Test]
    public void AugmentationTargetWithoutAugmentationIsNamed()
    {
        foreach (string trainer in Trainers)
        {
            var error = Assert.Throws<ArgumentException>(() => Fit(trainer, o => (o.Loss, o.AugmentationTarget) = (GanLoss.NonSaturating, 0.6)), trainer);
            Assert.That(error!.ParamName, Is.EqualTo(nameof(GanTrainer.Options.AugmentationTarget)), trainer);
            Assert.That(error.Message, Does.Contain("Augmentation names none"), trainer);
        }
    }

    // Wasserstein, WGAN-GP and GAN-QP critics are defined up to a constant, so the sign of a score says nothing. O-GAN's
    // default loss is GAN-QP.
    [TestCase("gan", GanLoss.Wasserstein)]
    [TestCase("gan", GanLoss.WassersteinGradientPenalty)]
    [TestCase("conditional", GanLoss.Wasserstein)]
    [TestCase("ogan", GanLoss.GanQp)]
    public void AugmentationTargetWithACriticWithoutSignIsRefusedNamingTheLoss(string trainer, GanLoss loss)
    {
        var error = Assert.Throws<ArgumentException>(() => Fit(trainer, o => (o.Loss, o.Augmentation, o.AugmentationTarget) = (loss, "cutout", 0.6)));
        Assert.That(error!.ParamName, Is.EqualTo(nameof(GanTrainer.Options.AugmentationTarget)));
        Assert.That(error.Message, Does.Contain($"Loss {loss}").And.Contain("NonSaturating, Minimax, Hinge or LeastSquares"));
    }

    [Test]
    public void AugmentationAdjustmentImagesBelowOneIsNamed()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Fit("gan", o => o.AugmentationAdjustmentImages = 0));
        Assert.That(error!.ParamName, Is.EqualTo(nameof(GanTrainer.Options.AugmentationAdjustmentImages)));
    }

    [Test]
    public void DefaultsAugmentNothingAndAddNoR1()
    {
        var options = new GanTrainer.Options();
        Assert.That((options.Augmentation, options.R1Weight, options.R1Interval), Is.EqualTo(((string?)null, (double?)null, 1)));
        Assert.That((options.AugmentationTarget, options.AugmentationAdjustmentImages), Is.EqualTo(((double?)null, 500_000)));
    }

    private static void Fit(string trainer, Action<GanTrainer.Options> configure)
    {
        var mlContext = new MLContext(seed: 1);
        IDataView data = mlContext.Data.LoadFromEnumerable(RowsThatMustNotBeRead(), SyntheticModes.Schema(mlContext));
        GanTrainer.Options options = trainer switch
        {
            "gan" => new GanTrainer.Options(),
            "conditional" => new ConditionalGanTrainer.Options(),
            _ => new OGanTrainer.Options(),
        };
        options.Architecture = GanArchitecture.Mlp;
        options.MaxSteps = 2;
        configure(options);
        IDisposable model = options switch
        {
            ConditionalGanTrainer.Options conditional => mlContext.Gan().Trainers.ConditionalGan(conditional).Fit(data),
            OGanTrainer.Options ogan => mlContext.Gan().Trainers.OGan(ogan).Fit(data),
            _ => mlContext.Gan().Trainers.Gan(options).Fit(data),
        };
        model.Dispose();
    }

    private static IEnumerable<SyntheticModes.Row> RowsThatMustNotBeRead()
    {
        Assert.Fail("a row was read before the options were checked");
        yield break;
    }
}
