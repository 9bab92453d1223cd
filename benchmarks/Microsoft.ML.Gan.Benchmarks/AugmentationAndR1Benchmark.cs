using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Microsoft.ML.Gan.Networks;
using Microsoft.ML.Gan.Torch;
using Microsoft.ML.Gan.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Benchmarks;

/// <summary>
/// The step cost of DiffAugment and of R1 (every update, and lazy every 16) against the same DCGAN step without them:
/// one discriminator and one generator update of the library's own game (AdversarialGame, its regularizers, Adam) on
/// 28×28 grayscale batches of 64, the variants interleaved in one process so that the host's drift hits them alike.
/// </summary>
/// <remarks>
/// R1 leaves BatchNorm out of the critic, as Fit does when R1Weight is set, so its rows measure what a user who turns
/// it on gets. Each timed chunk is a whole number of lazy intervals, so the lazy rows average its spikes.
/// </remarks>
internal static class AugmentationAndR1Benchmark
{
    private const int BatchSize = 64, LazyInterval = 16;

    private sealed record Variant(string Name, string? Augmentation, double? R1Weight, int R1Interval = 1);

    private static readonly Variant[] Variants =
    {
        new("plain DCGAN step", null, null),
        new("+ augment color,translation,cutout", "color,translation,cutout", null),
        new("+ R1 every update", null, 1.0),
        new("+ R1 lazy (every 16)", null, 1.0, LazyInterval),
        new("+ augment + R1 lazy (every 16)", "color,translation,cutout", 1.0, LazyInterval),
    };

    public static void Run(BenchmarkSettings settings)
    {
        int steps = settings.Quick ? LazyInterval : 2 * LazyInterval;
        Report.Section($"Augmentation and R1: DCGAN step cost, 28×28, batch {BatchSize} ({steps} steps × {settings.Repeats} interleaved repeats, median)");
        using var dataRandom = new torch.Generator(BenchmarkSettings.Seed);
        using Tensor data = rand(new long[] { BatchSize, 1, 28, 28 }, generator: dataRandom).Times(2).Minus(1);
        var trainers = Variants.Select(variant => new StepTrainer(variant)).ToList();
        var milliseconds = trainers.Select(_ => new List<double>()).ToList();
        try
        {
            for (int repeat = 0; repeat <= settings.Repeats; repeat++)
            {
                for (int v = 0; v < trainers.Count; v++)
                {
                    double perStep = trainers[v].Time(data, steps);
                    Console.Error.WriteLine($"round {repeat}/{settings.Repeats}: {Variants[v].Name}: {perStep:F1} ms per step");
                    if (repeat > 0) // the first round warms up every variant
                    {
                        milliseconds[v].Add(perStep);
                    }
                }
            }
        }
        finally
        {
            trainers.ForEach(trainer => trainer.Dispose());
        }

        double plain = Measurements.Median(milliseconds[0]);
        Report.Header("variant", "ms per step", "× plain step");
        for (int v = 0; v < trainers.Count; v++)
        {
            double median = Measurements.Median(milliseconds[v]);
            Report.Row(Variants[v].Name, median, median / plain);
        }
    }

    /// <summary>One variant's networks, game and optimisers, stepped as GanTrainingLoop steps them.</summary>
    private sealed class StepTrainer : IDisposable
    {
        private readonly nn.Module<Tensor, Tensor> _generator, _discriminator;
        private readonly AdamOptimizer _optimizerG, _optimizerD;
        private readonly torch.Generator _noise = new(BenchmarkSettings.Seed + 2);
        private readonly AdversarialGame _game;
        private int _updates;

        public StepTrainer(Variant variant)
        {
            var options = new GanTrainer.Options { Augmentation = variant.Augmentation, R1Weight = variant.R1Weight, R1Interval = variant.R1Interval };
            var spec = new NetworkSpec(GanArchitecture.Dcgan, new Data.ImageShape(1, 28, 28), 100, DiscriminatorOutputs: 1,
                SpectralNormalization: false, DiscriminatorBatchNorm: options.DiscriminatorBatchNorm);
            using var initRandom = new torch.Generator(BenchmarkSettings.Seed);
            _generator = GanNetworkFactory.CreateGenerator(spec, initRandom);
            _discriminator = GanNetworkFactory.CreateDiscriminator(spec, initRandom);
            _optimizerG = new AdamOptimizer(_generator.parameters(), 2e-4, 0.5, 0.999);
            _optimizerD = new AdamOptimizer(_discriminator.parameters(), 2e-4, 0.5, 0.999);
            _game = new UnconditionalGame(_generator, _discriminator, AdversarialLoss.Create(options.Loss), options.Regularizers().ToList(),
                spec.LatentDimension, options.CreateAugmentation());
            _generator.train();
            _discriminator.train();
        }

        /// <summary>Milliseconds per training step (one D and one G update) over <paramref name="steps"/> steps.</summary>
        public double Time(Tensor images, int steps)
        {
            var batch = new TrainingBatch(images, null);
            var clock = Stopwatch.StartNew();
            for (int step = 0; step < steps; step++)
            {
                using (NewDisposeScope())
                {
                    DiscriminatorOutcome outcome = _game.DiscriminatorLoss(batch, _noise, _updates++);
                    _optimizerD.ZeroGrad();
                    outcome.Loss.backward();
                    _optimizerD.Step();
                }
                using (NewDisposeScope())
                {
                    Tensor loss = _game.GeneratorLoss(batch, _noise);
                    _optimizerG.ZeroGrad();
                    loss.backward();
                    _optimizerG.Step();
                }
            }
            return clock.Elapsed.TotalMilliseconds / steps;
        }

        public void Dispose()
        {
            _optimizerG.Dispose();
            _optimizerD.Dispose();
            _generator.Dispose();
            _discriminator.Dispose();
            _noise.Dispose();
        }
    }
}
