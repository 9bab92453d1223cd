using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Data;
using Microsoft.ML.Gan.Networks;
using Microsoft.ML.Gan.Torch;
using Microsoft.ML.Gan.Training.Checkpoints;
using Microsoft.ML.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Training;

/// <summary>
/// The adversarial training loop: per batch one discriminator update, and one generator update after every
/// <see cref="GanTrainer.Options.DiscriminatorSteps"/> discriminator updates. Around the updates, for every game alike,
/// it resumes from and writes checkpoints (<see cref="CheckpointKeeper"/>), keeps the generator's moving average
/// (<see cref="GeneratorAverage"/>) and stops or rolls back on NaN, infinity or a finite blow-up (<see cref="DivergenceGuard"/>).
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
    /// Trains <paramref name="game"/>'s networks, already on the training device, on the batches of <paramref name="data"/>
    /// (images in [−1, 1] and, for a conditional game, class indices). Leaves both networks in eval mode, the generator
    /// holding its moving average when one is kept, and returns the history.
    /// </summary>
    public List<GanTrainingRecord> Run(AdversarialGame game, TrainingBatchSource data, int seed)
    {
        List<GanTrainingRecord> history = Train(game, data, seed);
        game.Generator.eval();
        game.Discriminator.eval();
        return history;
    }

    private List<GanTrainingRecord> Train(AdversarialGame game, TrainingBatchSource data, int seed)
    {
        using var state = new TrainingState(game, _options, seed, _device, SlotCount);
        using var guard = new DivergenceGuard(_device, game.Generator, game.Discriminator, _options.Loss, _options.FiniteDivergence,
            message => _channel.Warning(MessageSensitivity.None, message));
        using Tensor discriminatorSums = state.Sums.narrow(0, DiscriminatorLossSlot, DiscriminatorSlots);
        using Tensor generatorSum = state.Sums.narrow(0, GeneratorLossSlot, 1);

        long count = data.Count;
        int batch = data.BatchSize;
        long batchesPerEpoch = data.BatchesPerEpoch;
        int lastStep = LastStep(batchesPerEpoch);
        int epochs = (int)Math.Min(_options.Epochs, ((long)lastStep * _options.DiscriminatorSteps + batchesPerEpoch - 1) / batchesPerEpoch);
        var settings = _options.ResumeSettings()
            .Append(new KeyValuePair<string, string>("Game", game.Id))
            .Append(new KeyValuePair<string, string>(RunIdentity.RegularizersSetting, game.Regularizers.Count == 0 ? "none" : string.Join(",", game.Regularizers.Select(regularizer => regularizer.Id))))
            .Append(new KeyValuePair<string, string>("ImageShape", _spec.Shape.ToString()))
            .Append(new KeyValuePair<string, string>("TrainingImages", count.ToString(CultureInfo.InvariantCulture)))
            .Concat(data.OrderSettings)
            .ToList();
        var checkpoints = new CheckpointKeeper(_options, _channel, settings, seed, data, _device);

        _channel.Info(MessageSensitivity.None, string.Format(CultureInfo.InvariantCulture,
            "Training a {0} GAN on {1} images of {2} for {3} generator updates ({4} epochs of {5} batches of {6}) on {7}, seed {8}.",
            _spec.Architecture, count, _spec.Shape, lastStep, _options.Epochs, batchesPerEpoch, batch, _device, seed));
        foreach (string line in _options.Describe())
        {
            _channel.Info(MessageSensitivity.None, line);
        }
        checkpoints.Resume(state);
        KernelCheck.Run(game, _spec, batch, _device, message => _channel.Warning(MessageSensitivity.None, message));
        // Once the check (or an earlier run in this process) found oneDNN's convolutions faulty, every network trains without them.
        using var kernels = OneDnnConvolutions.Scope();

        game.Generator.train();
        game.Discriminator.train();
        var run = new LoopContext(game, state, guard, checkpoints, data, discriminatorSums, generatorSum,
            lastStep, epochs, System.Diagnostics.Stopwatch.StartNew());
        while (state.Epoch <= _options.Epochs && state.Step < lastStep)
        {
            try
            {
                RunEpoch(run);
            }
            catch (GanTrainingDivergedException diverged) when (checkpoints.CanRollBack(state))
            {
                checkpoints.RollBack(state, guard, diverged);
            }
            catch (GanTrainingDivergedException diverged)
            {
                throw diverged.WithContext(state.History, checkpoints.Latest);
            }
        }
        checkpoints.SaveFinal(state, guard);
        if (state.Average is GeneratorAverage average)
        {
            average.CopyIntoGenerator();
            BatchNormStatistics.Recompute(game, _spec.LatentDimension, _device, seed);
        }
        return state.History;
    }

    // Runs the rest of the current epoch: from state.Batch, which is not 0 after a resume.
    private void RunEpoch(LoopContext run)
    {
        run.Data.StartEpoch(run.State);
        try
        {
            RunEpochBatches(run);
        }
        finally
        {
            run.Data.EndEpoch();
        }
    }

    private void RunEpochBatches(LoopContext run)
    {
        TrainingState state = run.State;
        run.Checkpoints.SaveInitial(state, run.Guard);
        while (state.Batch < run.Data.BatchesPerEpoch && state.Step < run.LastStep)
        {
            // Only between generator updates, so that the checkpoint written here is one a resume continues exactly.
            if (state.DiscriminatorUpdates % _options.DiscriminatorSteps == 0 && _isCanceled())
            {
                string? checkpoint = run.Checkpoints.SaveOnCancel(state, run.Guard);
                throw new OperationCanceledException($"GAN training was cancelled at generator update {state.Step} of {run.LastStep} (epoch {state.Epoch})." +
                    (checkpoint == null ? string.Empty : $" Checkpoint '{checkpoint}' holds that update: resume from it to continue."));
            }

            bool generatorTurn;
            using (NewDisposeScope())
            {
                TrainingBatch real = run.Data.Batch(state.Batch);
                using (NewDisposeScope())
                {
                    DiscriminatorStep(run.Game, state.DiscriminatorOptimizer, real, state.NoiseRandom, state.DiscriminatorUpdates, run.DiscriminatorSums, run.Guard, state.Step + 1);
                }
                state.DiscriminatorUpdates++;
                generatorTurn = state.DiscriminatorUpdates % _options.DiscriminatorSteps == 0;
                if (generatorTurn)
                {
                    // The generator's batch is the last discriminator batch, so a conditional game draws its labels from the
                    // training distribution.
                    GeneratorStep(run.Game, state.GeneratorOptimizer, real, state.NoiseRandom, run.GeneratorSum, run.Guard, state.Step + 1);
                }
            }
            state.Batch++;
            if (!generatorTurn)
            {
                continue;
            }
            state.Step++;
            state.StepsSinceLog++;
            state.Average?.Update(state.Step);
            if (state.Step % _options.LogEveryNSteps == 0 || state.Step == run.LastStep)
            {
                run.Guard.Flush(state.Step);
                GanTrainingRecord record = Record(state.Sums, state.Step, state.Epoch, state.StepsSinceLog, run.Game.AugmentationStrength);
                // Kept in the history before the check, so that a diverged run's history shows the record that tripped it.
                state.History.Add(record);
                run.Guard.CheckRecord(record, state.StepsSinceLog);
                state.StepsSinceLog = 0;
            }
            run.Checkpoints.SaveIfDue(state, run.Guard);
            ReportProgress(run.Game, state.Step, run.LastStep, state.Epoch, run.Epochs, isEpochEnd: false, run.Clock.Elapsed, state.History);
        }
        ReportProgress(run.Game, state.Step, run.LastStep, state.Epoch, run.Epochs, isEpochEnd: true, run.Clock.Elapsed, state.History);
        // A run that MaxSteps ends mid-epoch stays there, so its final checkpoint continues that epoch.
        if (state.Batch >= run.Data.BatchesPerEpoch)
        {
            state.StartNextEpoch();
        }
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

    private void DiscriminatorStep(AdversarialGame game, AdamOptimizer optimizer, TrainingBatch real, Generator noiseRandom, int update,
        Tensor discriminatorSums, DivergenceGuard guard, int step)
    {
        DiscriminatorOutcome outcome = game.DiscriminatorLoss(real, noiseRandom, update);
        guard.CheckDiscriminatorLoss(outcome.Loss, step);
        optimizer.ZeroGrad();
        outcome.Loss.backward();
        optimizer.Step();
        if (_weightClip is double clip)
        {
            WeightClipping.Clip(game.Discriminator, clip);
        }

        // Every op here is a libtorch call (~µs each), and they run every step: one stack and one add, with the
        // division by DiscriminatorSteps left to the log point.
        using (no_grad())
        {
            discriminatorSums.AddInPlace(stack(new[] { outcome.Loss.detach(), outcome.RealScore, outcome.FakeScore }));
        }
    }

    // Only G's optimiser steps; the gradients this pass leaves in D are cleared before D's next update.
    private void GeneratorStep(AdversarialGame game, AdamOptimizer optimizer, TrainingBatch real, Generator noiseRandom,
        Tensor generatorSum, DivergenceGuard guard, int step)
    {
        Tensor loss = game.GeneratorLoss(real, noiseRandom);
        guard.CheckGeneratorLoss(loss, step);
        optimizer.ZeroGrad();
        loss.backward();
        optimizer.Step();
        using (no_grad())
        {
            generatorSum.AddInPlace(loss.detach());
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

    private GanTrainingRecord Record(Tensor sums, int step, int epoch, int steps, AdaptiveAugmentationStrength? augmentation)
    {
        float[] means;
        using (NewDisposeScope())
        {
            // D's sums hold DiscriminatorSteps updates per generator update.
            using Tensor divisors = tensor(new float[] { _options.DiscriminatorSteps, _options.DiscriminatorSteps, _options.DiscriminatorSteps, 1 }, device: _device);
            means = (sums / divisors).DividedBy(steps).cpu().data<float>().ToArray();
            sums.zero_();
        }
        var record = new GanTrainingRecord(step, epoch, means[DiscriminatorLossSlot], means[GeneratorLossSlot], means[RealScoreSlot], means[FakeScoreSlot]);
        if (!float.IsFinite(record.DiscriminatorLoss) || !float.IsFinite(record.GeneratorLoss))
        {
            throw new GanTrainingDivergedException(step - steps + 1, step,
                $"loss_D = {record.DiscriminatorLoss}, loss_G = {record.GeneratorLoss}");
        }
        _channel.Info(MessageSensitivity.None, string.Format(CultureInfo.InvariantCulture,
            "step {0} epoch {1}: loss_D {2:F4}  loss_G {3:F4}  D(x) {4:F4}  D(G(z)) {5:F4}{6}",
            record.Step, record.Epoch, record.DiscriminatorLoss, record.GeneratorLoss, record.RealScore, record.FakeScore,
            augmentation == null ? string.Empty : string.Format(CultureInfo.InvariantCulture, "  augment p {0:F3}", augmentation.Value)));
        return record;
    }
}
