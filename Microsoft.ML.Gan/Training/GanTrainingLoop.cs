using System;
using System.Collections.Generic;
using System.Globalization;
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
    private readonly AdversarialLoss _loss;
    private readonly double? _weightClip;

    public GanTrainingLoop(GanTrainer.Options options, NetworkSpec spec, Device device, IChannel channel, Func<bool> isCanceled)
    {
        _options = options;
        _spec = spec;
        _device = device;
        _channel = channel;
        _isCanceled = isCanceled;
        _loss = AdversarialLoss.Create(options.Loss);
        _weightClip = options.EffectiveWeightClip;
    }

    /// <summary>Trains new networks on <paramref name="images"/> ([N, C, H, W] in [−1, 1], on the CPU).</summary>
    public TrainedNetworks Run(Tensor images, int seed)
    {
        // Modules and optimisers live outside every dispose scope: they must survive the steps.
        using var initRandom = new Generator((ulong)seed);
        nn.Module<Tensor, Tensor> generator = GanNetworkFactory.CreateGenerator(_spec, initRandom);
        nn.Module<Tensor, Tensor> discriminator = GanNetworkFactory.CreateDiscriminator(_spec, initRandom);
        try
        {
            generator.to(_device);
            discriminator.to(_device);
            List<GanTrainingRecord> history = Train(generator, discriminator, images, seed);
            generator.eval();
            discriminator.eval();
            return new TrainedNetworks(generator, discriminator, history);
        }
        catch
        {
            generator.Dispose();
            discriminator.Dispose();
            throw;
        }
    }

    private List<GanTrainingRecord> Train(nn.Module<Tensor, Tensor> generator, nn.Module<Tensor, Tensor> discriminator, Tensor images, int seed)
    {
        using var generatorOptimizer = optim.Adam(generator.parameters(), _options.GeneratorLearningRate, _options.Beta1, _options.Beta2);
        using var discriminatorOptimizer = optim.Adam(discriminator.parameters(), _options.DiscriminatorLearningRate, _options.Beta1, _options.Beta2);
        using var shuffleRandom = new Generator((ulong)seed + 1);
        using var noiseRandom = new Generator((ulong)seed + 2, _device);
        using Tensor data = images.to(_device);
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
        generator.train();
        discriminator.train();

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
                    Tensor real = data.index_select(0, order.narrow(0, b * batch, batch));
                    DiscriminatorStep(generator, discriminator, discriminatorOptimizer, real, noiseRandom, discriminatorSums, checkEveryStep, step + 1);
                }
                discriminatorUpdates++;
                if (discriminatorUpdates % _options.DiscriminatorSteps != 0)
                {
                    continue;
                }

                using (NewDisposeScope())
                {
                    GeneratorStep(generator, discriminator, generatorOptimizer, batch, noiseRandom, generatorSum, checkEveryStep, step + 1);
                }
                step++;
                stepsSinceLog++;
                if (step % _options.LogEveryNSteps == 0 || step == lastStep)
                {
                    history.Add(Record(sums, step, epoch, stepsSinceLog));
                    stepsSinceLog = 0;
                }
            }
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

    // Update D: real images should score as real, fakes (generated without tracking G's graph) as fake.
    private void DiscriminatorStep(nn.Module<Tensor, Tensor> generator, nn.Module<Tensor, Tensor> discriminator, optim.Optimizer optimizer,
        Tensor real, Generator noiseRandom, Tensor discriminatorSums, bool checkNow, int step)
    {
        Tensor fake;
        using (no_grad())
        {
            fake = generator.call(SampleLatent(real.shape[0], noiseRandom));
        }
        Tensor realScores = discriminator.call(real).view(-1);
        Tensor fakeScores = discriminator.call(fake).view(-1);
        Tensor loss = _loss.DiscriminatorLoss(realScores, fakeScores);
        if (_options.Loss == GanLoss.WassersteinGradientPenalty)
        {
            loss = loss + _options.GradientPenaltyWeight * GradientPenalty.Compute(discriminator, real, fake, noiseRandom);
        }
        if (checkNow)
        {
            ThrowIfNotFinite(loss, "loss_D", step);
        }

        optimizer.zero_grad();
        loss.backward();
        optimizer.step();
        if (_weightClip is double clip)
        {
            WeightClipping.Clip(discriminator, clip);
        }

        // Every op here is a libtorch call (~µs each), and they run every step: one stack and one add, with the
        // division by DiscriminatorSteps left to the log point.
        using (no_grad())
        {
            discriminatorSums.add_(stack(new[] { loss.detach(), ReportedScore(realScores).mean(), ReportedScore(fakeScores).mean() }));
        }
    }

    // Update G: its fakes should fool D. Only G's optimiser steps; D's gradients from this pass are cleared before D's next update.
    private void GeneratorStep(nn.Module<Tensor, Tensor> generator, nn.Module<Tensor, Tensor> discriminator, optim.Optimizer optimizer,
        int batch, Generator noiseRandom, Tensor generatorSum, bool checkNow, int step)
    {
        Tensor fakeScores = discriminator.call(generator.call(SampleLatent(batch, noiseRandom))).view(-1);
        Tensor loss = _loss.GeneratorLoss(fakeScores);
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

    private Tensor Shuffled(long count, Generator shuffleRandom)
    {
        using (NewDisposeScope())
        {
            return randperm(count, generator: shuffleRandom).to(_device).MoveToOuterDisposeScope();
        }
    }

    private Tensor SampleLatent(long batch, Generator noiseRandom) =>
        randn(new[] { batch, (long)_spec.LatentDimension }, generator: noiseRandom, device: _device);

    private Tensor ReportedScore(Tensor scores) =>
        _options.Loss is GanLoss.Minimax or GanLoss.NonSaturating ? sigmoid(scores.detach()) : scores.detach();

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
