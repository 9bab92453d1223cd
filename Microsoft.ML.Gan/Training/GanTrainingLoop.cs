using System;
using System.Collections.Generic;
using System.Globalization;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Data;
using Microsoft.ML.Gan.Networks;
using Microsoft.ML.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Training;

/// <summary>
/// The adversarial training loop: per batch one discriminator update, and one generator update after every
/// <see cref="GanTrainer.Options.DiscriminatorSteps"/> discriminator updates.
/// </summary>
internal sealed class GanTrainingLoop
{
    // Order of the running sums kept on the device between log points: D's three first, so that one view adds them.
    private const int DiscriminatorLossSlot = 0, RealScoreSlot = 1, FakeScoreSlot = 2, DiscriminatorSlots = 3, GeneratorLossSlot = 3, SlotCount = 4;

    private readonly GanTrainer.Options _options;
    private readonly NetworkSpec _spec;
    private readonly Device _device;
    private readonly IChannel _channel;
    private readonly Func<bool> _isCanceled;
    private readonly double? _weightClip;

    public GanTrainingLoop(GanTrainer.Options options, NetworkSpec spec, Device device, IChannel channel, Func<bool> isCanceled)
    {
        _options = options;
        _spec = spec;
        _device = device;
        _channel = channel;
        _isCanceled = isCanceled;
        _weightClip = options.EffectiveWeightClip;
    }

    /// <summary>
    /// Trains <paramref name="game"/>'s networks, already on the training device, on <paramref name="images"/>
    /// ([N, C, H, W] in [−1, 1], on the CPU) and, for a conditional game, <paramref name="labels"/> ([N] int64 class indices).
    /// Leaves both networks in eval mode and returns the history.
    /// </summary>
    public List<GanTrainingRecord> Run(AdversarialGame game, Tensor images, Tensor? labels, int seed)
    {
        List<GanTrainingRecord> history = Train(game, images, labels, seed);
        game.Generator.eval();
        game.Discriminator.eval();
        return history;
    }

    private List<GanTrainingRecord> Train(AdversarialGame game, Tensor images, Tensor? labels, int seed)
    {
        using var generatorOptimizer = optim.Adam(game.Generator.parameters(), _options.GeneratorLearningRate, _options.Beta1, _options.Beta2);
        using var discriminatorOptimizer = optim.Adam(game.Discriminator.parameters(), _options.DiscriminatorLearningRate, _options.Beta1, _options.Beta2);
        using var shuffleRandom = new Generator((ulong)seed + 1);
        using var noiseRandom = new Generator((ulong)seed + 2, _device);
        using Tensor data = images.to(_device);
        using Tensor? dataLabels = labels?.to(_device);
        using Tensor sums = zeros(SlotCount, device: _device);
        using Tensor discriminatorSums = sums.narrow(0, DiscriminatorLossSlot, DiscriminatorSlots);
        using Tensor generatorSum = sums.narrow(0, GeneratorLossSlot, 1);

        long count = data.shape[0];
        int batch = (int)Math.Min(_options.BatchSize, count);
        long batchesPerEpoch = Math.Max(1, count / batch);
        bool checkEveryStep = _device.type == DeviceType.CPU;
        var history = new List<GanTrainingRecord>();
        int step = 0, stepsSinceLog = 0, discriminatorUpdates = 0;
        int lastStep = LastStep(batchesPerEpoch);
        int epochs = (int)Math.Min(_options.Epochs, ((long)lastStep * _options.DiscriminatorSteps + batchesPerEpoch - 1) / batchesPerEpoch);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        game.Generator.train();
        game.Discriminator.train();

        _channel.Info(MessageSensitivity.None, string.Format(CultureInfo.InvariantCulture,
            "Training a {0} GAN on {1} images of {2} for {3} generator updates ({4} epochs of {5} batches of {6}) on {7}, seed {8}.",
            _spec.Architecture, count, _spec.Shape, lastStep, _options.Epochs, batchesPerEpoch, batch, _device, seed));
        foreach (string line in _options.Describe())
        {
            _channel.Info(MessageSensitivity.None, line);
        }

        for (int epoch = 1; epoch <= _options.Epochs && step < lastStep; epoch++)
        {
            using Tensor order = Shuffled(count, shuffleRandom);
            for (long b = 0; b < batchesPerEpoch && step < lastStep; b++)
            {
                if (_isCanceled())
                {
                    throw new OperationCanceledException($"GAN training was cancelled at generator update {step} of {lastStep} (epoch {epoch}).");
                }

                using (NewDisposeScope())
                {
                    TrainingBatch real = SelectBatch(data, dataLabels, order, b, batch);
                    DiscriminatorStep(game, discriminatorOptimizer, real, noiseRandom, discriminatorSums, checkEveryStep, step + 1);
                }
                discriminatorUpdates++;
                if (discriminatorUpdates % _options.DiscriminatorSteps != 0)
                {
                    continue;
                }

                using (NewDisposeScope())
                {
                    // The generator's batch repeats the last discriminator batch's rows, so a conditional game draws its labels
                    // from the training distribution.
                    TrainingBatch real = SelectBatch(data, dataLabels, order, b, batch);
                    GeneratorStep(game, generatorOptimizer, real, noiseRandom, generatorSum, checkEveryStep, step + 1);
                }
                step++;
                stepsSinceLog++;
                if (step % _options.LogEveryNSteps == 0 || step == lastStep)
                {
                    history.Add(Record(sums, step, epoch, stepsSinceLog));
                    stepsSinceLog = 0;
                }
                ReportProgress(game, step, lastStep, epoch, epochs, isEpochEnd: false, clock.Elapsed, history);
            }
            ReportProgress(game, step, lastStep, epoch, epochs, isEpochEnd: true, clock.Elapsed, history);
        }
        return history;
    }

    private int LastStep(long batchesPerEpoch)
    {
        long fromEpochs = batchesPerEpoch * _options.Epochs / _options.DiscriminatorSteps;
        if (fromEpochs < 1)
        {
            throw new ArgumentException(
                $"{_options.Epochs} epoch(s) of {batchesPerEpoch} batch(es) give no generator update with DiscriminatorSteps = {_options.DiscriminatorSteps}; " +
                "raise Epochs or lower DiscriminatorSteps.");
        }
        return (int)Math.Min(fromEpochs, _options.MaxSteps ?? int.MaxValue);
    }

    private static TrainingBatch SelectBatch(Tensor data, Tensor? labels, Tensor order, long batchIndex, int batchSize)
    {
        Tensor rows = order.narrow(0, batchIndex * batchSize, batchSize);
        return new TrainingBatch(data.index_select(0, rows), labels?.index_select(0, rows));
    }

    private void DiscriminatorStep(AdversarialGame game, optim.Optimizer optimizer, TrainingBatch real, Generator noiseRandom,
        Tensor discriminatorSums, bool checkNow, int step)
    {
        DiscriminatorOutcome outcome = game.DiscriminatorLoss(real, noiseRandom);
        if (checkNow)
        {
            ThrowIfNotFinite(outcome.Loss, "loss_D", step);
        }

        optimizer.zero_grad();
        outcome.Loss.backward();
        optimizer.step();
        if (_weightClip is double clip)
        {
            WeightClipping.Clip(game.Discriminator, clip);
        }

        // Every op here is a libtorch call (~µs each), and they run every step: one stack and one add, with the
        // division by DiscriminatorSteps left to the log point.
        using (no_grad())
        {
            discriminatorSums.add_(stack(new[] { outcome.Loss.detach(), outcome.RealScore, outcome.FakeScore }));
        }
    }

    // Only G's optimiser steps; the gradients this pass leaves in D are cleared before D's next update.
    private void GeneratorStep(AdversarialGame game, optim.Optimizer optimizer, TrainingBatch real, Generator noiseRandom,
        Tensor generatorSum, bool checkNow, int step)
    {
        Tensor loss = game.GeneratorLoss(real, noiseRandom);
        if (checkNow)
        {
            ThrowIfNotFinite(loss, "loss_G", step);
        }
        optimizer.zero_grad();
        loss.backward();
        optimizer.step();
        using (no_grad())
        {
            generatorSum.add_(loss.detach());
        }
    }

    private void ReportProgress(AdversarialGame game, int step, int lastStep, int epoch, int epochs, bool isEpochEnd, TimeSpan elapsed,
        List<GanTrainingRecord> history)
    {
        if (_options.ProgressCallback is not { } callback)
        {
            return;
        }
        GanTrainingRecord? latest = history.Count > 0 ? history[^1] : null;
        callback(new GanTrainingProgress(step, lastStep, epoch, epochs, isEpochEnd, elapsed, latest,
            (count, seed) => SampleImages(game, count, seed)));
    }

    // Eval mode, so batch norm uses its running statistics and a preview does not disturb them; training mode comes back after.
    private IReadOnlyList<MLImage> SampleImages(AdversarialGame game, int count, int seed)
    {
        int latent = _spec.LatentDimension;
        var latents = new float[count * latent];
        for (int i = 0; i < count; i++)
        {
            LatentSampler.Fill(latents.AsSpan(i * latent, latent), seed, i);
        }
        float[] pixels;
        game.Generator.eval();
        try
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            Tensor z = tensor(latents, new long[] { count, latent }).to(_device);
            pixels = game.Sample(z).cpu().contiguous().data<float>().ToArray();
        }
        finally
        {
            game.Generator.train();
        }
        int pixelCount = _spec.Shape.PixelCount;
        var images = new MLImage[count];
        for (int i = 0; i < count; i++)
        {
            images[i] = ImagePixels.ToImage(pixels.AsSpan(i * pixelCount, pixelCount), _spec.Shape);
        }
        return images;
    }

    private Tensor Shuffled(long count, Generator shuffleRandom)
    {
        using (NewDisposeScope())
        {
            return randperm(count, generator: shuffleRandom).to(_device).MoveToOuterDisposeScope();
        }
    }

    private GanTrainingRecord Record(Tensor sums, int step, int epoch, int steps)
    {
        float[] means;
        using (NewDisposeScope())
        {
            // D's sums hold DiscriminatorSteps updates per generator update.
            using Tensor divisors = tensor(new float[] { _options.DiscriminatorSteps, _options.DiscriminatorSteps, _options.DiscriminatorSteps, 1 }, device: _device);
            means = (sums / divisors / steps).cpu().data<float>().ToArray();
            sums.zero_();
        }
        var record = new GanTrainingRecord(step, epoch, means[DiscriminatorLossSlot], means[GeneratorLossSlot], means[RealScoreSlot], means[FakeScoreSlot]);
        if (!float.IsFinite(record.DiscriminatorLoss) || !float.IsFinite(record.GeneratorLoss))
        {
            throw new GanTrainingDivergedException(step - steps + 1, step,
                $"loss_D = {record.DiscriminatorLoss}, loss_G = {record.GeneratorLoss}");
        }
        _channel.Info(MessageSensitivity.None, string.Format(CultureInfo.InvariantCulture,
            "step {0} epoch {1}: loss_D {2:F4}  loss_G {3:F4}  D(x) {4:F4}  D(G(z)) {5:F4}",
            record.Step, record.Epoch, record.DiscriminatorLoss, record.GeneratorLoss, record.RealScore, record.FakeScore));
        return record;
    }

    private static void ThrowIfNotFinite(Tensor loss, string name, int step)
    {
        float value = loss.item<float>();
        if (!float.IsFinite(value))
        {
            throw new GanTrainingDivergedException(step, step, $"{name} = {value.ToString(CultureInfo.InvariantCulture)}");
        }
    }
}
