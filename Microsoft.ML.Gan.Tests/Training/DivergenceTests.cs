using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.Gan.Tests.TestData;
using Microsoft.ML.Gan.Torch;
using Microsoft.ML.Gan.Training;
using Microsoft.ML.Gan.Training.Checkpoints;
using Microsoft.ML.Runtime;
using NUnit.Framework;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Tests.Training;

/// <summary>
/// A learning rate of 1e30 makes Adam's first update put weights near ±1e30, so the next forward pass overflows to
/// infinity and NaN: a real divergence, within the first few updates. On these tiny networks 1e9 does the same, while 1e6
/// blows the run up with every number finite (losses near 1e21, weights 1e7 times their initial norm); a discriminator
/// learning far faster than its generator saturates.
/// </summary>
[TestFixture]
public class DivergenceTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder() => Directory.CreateDirectory(_folder = Path.Combine(Path.GetTempPath(), "gan-diverge-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private GanTrainer.Options Exploding(int rollbacks, double factor) => new()
    {
        Architecture = GanArchitecture.Mlp, LatentDimension = 4, BatchSize = 16, Epochs = 100, MaxSteps = 12, LogEveryNSteps = 3, Seed = 2,
        GeneratorLearningRate = 1e30, DiscriminatorLearningRate = 1e30,
        CheckpointDirectory = _folder, CheckpointEveryNSteps = 4, DivergenceRollbacks = rollbacks, RollbackLearningRateFactor = factor,
    };

    [Test]
    public void DivergenceStopsNamingTheStepAndLossAndLeavesAReadableCheckpoint()
    {
        var mlContext = new MLContext(seed: 1);
        var error = Assert.Throws<GanTrainingDivergedException>(() =>
            mlContext.Gan().Trainers.Gan(Exploding(rollbacks: 1, factor: 0.5)).Fit(SyntheticModes.Create(mlContext, 64)));

        Assert.That(error!.Message, Does.Match(@"diverged at generator update \d+: (loss_[DG]|the (generator|discriminator)'s gradients)"));
        Assert.That(error.LastStep, Is.InRange(1, 3));
        Assert.That(error.History, Is.Not.Null);
        // Rollbacks need a checkpoint from before the first update; it is the last good one, and it reads back.
        Assert.That(error.LastCheckpoint, Does.EndWith("checkpoint-00000000.gancheckpoint"));
        Assert.That(error.Message, Does.Contain(error.LastCheckpoint!));
        Assert.DoesNotThrow(() => CheckpointFile.Read(error.LastCheckpoint!));
    }

    [Test]
    public void RollbackWithALowerLearningRateRecoversAndSaysSo()
    {
        var mlContext = new MLContext(seed: 1);
        var warnings = new List<string>();
        mlContext.Log += (_, e) => { if (e.Kind == ChannelMessageKind.Warning) warnings.Add(e.RawMessage); };

        // 1e30 × 1e-33 = 1e-3: a learning rate that trains.
        using GanTransformer model = mlContext.Gan().Trainers.Gan(Exploding(rollbacks: 1, factor: 1e-33)).Fit(SyntheticModes.Create(mlContext, 64));

        Assert.That(warnings, Has.One.Contain("Rolled back to").And.Contain("rollback 1 of 1"));
        Assert.That(model.TrainingHistory.Select(r => r.Step), Is.EqualTo(new[] { 3, 6, 9, 12 }));
        Assert.That(model.TrainingHistory.All(r => float.IsFinite(r.DiscriminatorLoss) && float.IsFinite(r.GeneratorLoss)));
        Assert.That(GeneratedImages.ReadGray(model.Generate(8, seed: 1)).SelectMany(p => p).Distinct().Count(), Is.GreaterThan(1));
    }

    [Test]
    public void WithoutCheckpointsDivergenceStillStopsWithAClearError()
    {
        var mlContext = new MLContext(seed: 1);
        GanTrainer.Options options = Exploding(rollbacks: 0, factor: 0.5);
        options.CheckpointDirectory = null;
        var error = Assert.Throws<GanTrainingDivergedException>(() => mlContext.Gan().Trainers.Gan(options).Fit(SyntheticModes.Create(mlContext, 64)));
        Assert.That(error!.LastCheckpoint, Is.Null);
        Assert.That(error.Message, Does.Contain("Lower the learning rates"));
    }

    [Test]
    public void NonFiniteGradientWithAFiniteLossIsCaughtBeforeTheWeightsAreKept()
    {
        using var generator = nn.Linear(1, 1);
        using var discriminator = nn.Linear(1, 1);
        using (no_grad())
        {
            foreach (var parameter in generator.parameters())
            {
                parameter.zero_();
            }
        }
        using var optimizer = optim.Adam(generator.parameters());
        using var guard = new DivergenceGuard(CPU, generator, discriminator, GanLoss.NonSaturating, FiniteDivergenceHandling.Error, _ => { });
        guard.Flush(6);
        using (NewDisposeScope())
        {
            // d√|y|/dy at y = 0 is infinite: the loss is 0, its gradient is not finite, and Adam's step spreads it to the weights.
            Tensor loss = generator.call(ones(1, 1)).abs().sqrt().sum();
            Assert.DoesNotThrow(() => guard.CheckGeneratorLoss(loss, step: 7));
            loss.backward();
            optimizer.step();
            var error = Assert.Throws<GanTrainingDivergedException>(() => guard.Flush(7));
            Assert.That(error!.Message, Does.Contain("diverged at generator update 7").And.Contain("the generator's weights became NaN or infinite"));
        }
    }

    [Test]
    public void FlushPassesFiniteWeightsAndANonFiniteLossStopsAtOnceOnTheCpu()
    {
        using var generator = nn.Linear(1, 1);
        using var discriminator = nn.Linear(1, 1);
        using var guard = new DivergenceGuard(CPU, generator, discriminator, GanLoss.NonSaturating, FiniteDivergenceHandling.Error, _ => { });
        Assert.DoesNotThrow(() => guard.Flush(3));
        using (NewDisposeScope())
        {
            var error = Assert.Throws<GanTrainingDivergedException>(() => guard.CheckDiscriminatorLoss(tensor(float.NaN), step: 4));
            Assert.That(error!.Message, Does.Contain("diverged at generator update 4").And.Contain("loss_D = NaN"));
        }
    }

    [Test]
    public void DeferredChecksAsOnAGpuReportTheRangeAtTheNextFlush()
    {
        using var module = nn.Linear(1, 1);
        using var generator = nn.Linear(1, 1);
        using var guard = new DivergenceGuard(CPU, generator, module, GanLoss.NonSaturating, FiniteDivergenceHandling.Error, _ => { }, deferChecks: true);
        using (NewDisposeScope())
        {
            Tensor finite = module.call(ones(1, 1)).sum();
            guard.CheckDiscriminatorLoss(finite, step: 1);
            guard.Flush(2);

            Tensor infinite = (module.call(ones(1, 1)) * float.PositiveInfinity).sum();
            Assert.DoesNotThrow(() => guard.CheckDiscriminatorLoss(infinite, step: 4));
            var error = Assert.Throws<GanTrainingDivergedException>(() => guard.Flush(5));
            Assert.That(error!.Message, Does.Contain("between generator updates 3 and 5").And.Contain("loss_D"));
            Assert.That((error.FirstStep, error.LastStep), Is.EqualTo((3, 5)));
        }
    }

    // Tiny MLPs on the four-mode set: a few milliseconds per update.
    private static T Tiny<T>(T options, int steps) where T : GanTrainer.Options
    {
        options.Architecture = GanArchitecture.Mlp;
        options.LatentDimension = 4;
        options.BatchSize = 16;
        options.Epochs = 100_000;
        options.MaxSteps = steps;
        options.LogEveryNSteps = 20;
        options.Seed = 2;
        return options;
    }

    private static GanTrainer.Options BlowingUp(FiniteDivergenceHandling handling) =>
        Tiny(new GanTrainer.Options { GeneratorLearningRate = 1e6, DiscriminatorLearningRate = 1e6, FiniteDivergence = handling }, steps: 100);

    // G barely moves while D learns fast, so D soon tells every real image from every generated one.
    private static GanTrainer.Options Saturating(int steps) =>
        Tiny(new GanTrainer.Options { GeneratorLearningRate = 1e-9, DiscriminatorLearningRate = 2e-3 }, steps);

    private static List<string> Warnings(MLContext mlContext)
    {
        var warnings = new List<string>();
        mlContext.Log += (_, e) => { if (e.Kind == ChannelMessageKind.Warning) warnings.Add(e.RawMessage); };
        return warnings;
    }

    [Test]
    public void FiniteBlowUpStopsAsDivergence()
    {
        var mlContext = new MLContext(seed: 1);
        IDataView data = SyntheticModes.Create(mlContext, 64);
        // What the NaN checks alone let through: a run that ends "successfully", every loss finite.
        using (GanTransformer unguarded = mlContext.Gan().Trainers.Gan(BlowingUp(FiniteDivergenceHandling.Ignore)).Fit(data))
        {
            Assert.That(unguarded.TrainingHistory.All(r => float.IsFinite(r.DiscriminatorLoss) && float.IsFinite(r.GeneratorLoss)));
        }

        var error = Assert.Throws<GanTrainingDivergedException>(() => mlContext.Gan().Trainers.Gan(BlowingUp(FiniteDivergenceHandling.Error)).Fit(data));

        Assert.That(error!.Message, Does.Contain("finite, but beyond").And.Contain("Lower the learning rates"));
        Assert.That(error.LastStep, Is.EqualTo(20), "caught at the first log point");
    }

    [Test]
    public void WarningModeWarnsOncePerSymptomAndTrainsOn()
    {
        var mlContext = new MLContext(seed: 1);
        List<string> warnings = Warnings(mlContext);

        using GanTransformer model = mlContext.Gan().Trainers.Gan(BlowingUp(FiniteDivergenceHandling.Warning)).Fit(SyntheticModes.Create(mlContext, 64));

        Assert.That(model.TrainingHistory.Select(r => r.Step), Is.EqualTo(new[] { 20, 40, 60, 80, 100 }));
        Assert.That(warnings, Has.Some.Contain("diverged between generator updates 1 and 20").And.Contain("finite, but beyond").And.Contain("Training goes on"));
        // Five log points, each still blown up in three ways: a symptom is reported when it appears, not at every log point.
        Assert.That(warnings, Has.Exactly(1).Contain("the discriminator's weights grew"));
        Assert.That(warnings, Has.Exactly(1).Contain("the generator's weights grew"));
        Assert.That(warnings, Has.Exactly(1).Contain("loss_"));
        Assert.That(warnings, Has.Count.EqualTo(3));
    }

    [Test]
    public void SaturatedDiscriminatorIsADivergence()
    {
        var mlContext = new MLContext(seed: 1);
        var error = Assert.Throws<GanTrainingDivergedException>(() => mlContext.Gan().Trainers.Gan(Saturating(steps: 600)).Fit(SyntheticModes.Create(mlContext, 64)));

        Assert.That(error!.Message, Does.Contain("the discriminator saturated"));
        Assert.That(error.LastStep - error.FirstStep + 1, Is.GreaterThanOrEqualTo(BlowUpDetector.SaturatedUpdates));
        GanTrainingRecord last = error.History[^1];
        Assert.That(last.Step, Is.EqualTo(error.LastStep), "the history ends with the record that showed it");
        Assert.That(last.RealScore, Is.GreaterThan(0.99));
        Assert.That(last.FakeScore, Is.LessThan(0.01));
    }

    [Test]
    public void RollbacksThatEndSaturatedDoNotReportSuccess()
    {
        var mlContext = new MLContext(seed: 1);
        List<string> warnings = Warnings(mlContext);
        GanTrainer.Options options = Saturating(steps: 1200);
        options.CheckpointDirectory = _folder;
        options.CheckpointEveryNSteps = 100;
        options.DivergenceRollbacks = 1;

        var error = Assert.Throws<GanTrainingDivergedException>(() => mlContext.Gan().Trainers.Gan(options).Fit(SyntheticModes.Create(mlContext, 64)));

        Assert.That(warnings, Has.One.Contain("the discriminator saturated").And.Contain("rollback 1 of 1"));
        Assert.That(error!.Message, Does.Contain("the discriminator saturated").And.Contain(error.LastCheckpoint!));
    }

    [Test]
    public void RollbacksThatStayBlownUpDoNotReportSuccess()
    {
        var mlContext = new MLContext(seed: 1);
        List<string> warnings = Warnings(mlContext);
        GanTrainer.Options options = BlowingUp(FiniteDivergenceHandling.Error);
        options.CheckpointDirectory = _folder;
        options.DivergenceRollbacks = 2;

        var error = Assert.Throws<GanTrainingDivergedException>(() => mlContext.Gan().Trainers.Gan(options).Fit(SyntheticModes.Create(mlContext, 64)));

        // 1e6 × 0.5² is still far too high: both rollbacks blow up again, and the run fails instead of returning a model.
        Assert.That(warnings.Count(w => w.Contains("Rolled back to")), Is.EqualTo(2));
        Assert.That(error!.Message, Does.Contain("finite, but beyond"));
    }

    [Test]
    public void UndefinedFiniteDivergenceHandlingIsNamed()
    {
        var mlContext = new MLContext(seed: 1);
        GanTrainer.Options options = Tiny(new GanTrainer.Options { FiniteDivergence = (FiniteDivergenceHandling)7 }, steps: 2);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => mlContext.Gan().Trainers.Gan(options).Fit(SyntheticModes.Create(mlContext, 8)));
        Assert.That(error!.Message, Does.Contain("FiniteDivergence 7 is not one of: Error, Warning, Ignore"));
    }

    [TestCase(GanLoss.NonSaturating)]
    [TestCase(GanLoss.Minimax)]
    [TestCase(GanLoss.Wasserstein)]
    [TestCase(GanLoss.WassersteinGradientPenalty)]
    [TestCase(GanLoss.Hinge)]
    [TestCase(GanLoss.LeastSquares)]
    public void HealthyRunOfEachLossRaisesNoAlarm(GanLoss loss)
    {
        var mlContext = new MLContext(seed: 1);
        List<string> warnings = Warnings(mlContext);
        // Long enough for a saturated stretch where the scores are probabilities.
        int steps = loss is GanLoss.Minimax or GanLoss.NonSaturating ? 600 : 300;
        GanTrainer.Options options = Tiny(new GanTrainer.Options { Loss = loss, FiniteDivergence = FiniteDivergenceHandling.Warning }, steps);

        using GanTransformer model = mlContext.Gan().Trainers.Gan(options).Fit(SyntheticModes.Create(mlContext, 64));

        Assert.That(warnings, Is.Empty);
    }

    [Test]
    public void HealthyOGanAndConditionalRunsRaiseNoAlarm()
    {
        var mlContext = new MLContext(seed: 1);
        List<string> warnings = Warnings(mlContext);
        OGanTrainer.Options ogan = Tiny(new OGanTrainer.Options { FiniteDivergence = FiniteDivergenceHandling.Warning }, steps: 300);
        ConditionalGanTrainer.Options conditional = Tiny(new ConditionalGanTrainer.Options { FiniteDivergence = FiniteDivergenceHandling.Warning }, steps: 600);

        using OGanTransformer oganModel = mlContext.Gan().Trainers.OGan(ogan).Fit(SyntheticModes.Create(mlContext, 64));
        using ConditionalGanTransformer conditionalModel = mlContext.Gan().Trainers.ConditionalGan(conditional).Fit(SyntheticModes.CreateLabelled(mlContext, 64));

        Assert.That(warnings, Is.Empty);
    }
}
