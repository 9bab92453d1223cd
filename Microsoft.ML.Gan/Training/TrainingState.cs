using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.Gan.Torch;
using Microsoft.ML.Gan.Training.Checkpoints;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Training;

/// <summary>
/// The mutable state of a training run — optimisers, random generators, running sums, the generator average, the
/// position in the data and the history — and its round trip through a <see cref="TrainingCheckpoint"/>. Restoring a
/// checkpoint and continuing reproduces the uninterrupted run exactly on the same device kind.
/// </summary>
internal sealed class TrainingState : IDisposable
{
    private readonly AdversarialGame _game;
    private readonly Device _device;
    private readonly double _generatorLearningRate;
    private readonly double _discriminatorLearningRate;
    private Tensor? _epochShuffleState;

    public TrainingState(AdversarialGame game, GanTrainer.Options options, int seed, Device device, int sumSlots)
    {
        _game = game;
        _device = device;
        _generatorLearningRate = options.GeneratorLearningRate;
        _discriminatorLearningRate = options.DiscriminatorLearningRate;
        GeneratorOptimizer = new AdamOptimizer(game.Generator.parameters(), options.GeneratorLearningRate, options.Beta1, options.Beta2);
        DiscriminatorOptimizer = new AdamOptimizer(game.Discriminator.parameters(), options.DiscriminatorLearningRate, options.Beta1, options.Beta2);
        ShuffleRandom = new torch.Generator((ulong)seed + 1);
        NoiseRandom = new torch.Generator((ulong)seed + 2, device);
        Sums = zeros(sumSlots, device: device);
        if (options.GeneratorEmaDecay is double decay)
        {
            Average = new GeneratorAverage(game.Generator, decay, options.GeneratorEmaWarmupSteps);
        }
    }

    public AdamOptimizer GeneratorOptimizer { get; }

    public AdamOptimizer DiscriminatorOptimizer { get; }

    public torch.Generator ShuffleRandom { get; }

    public torch.Generator NoiseRandom { get; }

    /// <summary>Loss and score sums on the device since the last log point.</summary>
    public Tensor Sums { get; }

    public GeneratorAverage? Average { get; }

    public List<GanTrainingRecord> History { get; private set; } = new();

    /// <summary>Generator updates done.</summary>
    public int Step { get; set; }

    /// <summary>The epoch in progress, from 1.</summary>
    public int Epoch { get; set; } = 1;

    /// <summary>The next batch of the epoch.</summary>
    public long Batch { get; set; }

    public int DiscriminatorUpdates { get; set; }

    public int StepsSinceLog { get; set; }

    /// <summary>The product of the rollbacks' learning-rate factors.</summary>
    public double LearningRateScale { get; private set; } = 1;

    public int RollbacksUsed { get; private set; }

    /// <summary>The in-memory data order of the epoch in progress; remembers the shuffle state first, so a checkpoint can redraw it.</summary>
    public Tensor ShuffleEpoch(long count)
    {
        RememberEpochStart();
        using (NewDisposeScope())
        {
            return randperm(count, generator: ShuffleRandom).to(_device).MoveToOuterDisposeScope();
        }
    }

    /// <summary>
    /// The seed of the streamed data order of the epoch in progress, drawn from the same generator as
    /// <see cref="ShuffleEpoch"/>; remembers the shuffle state first, so a checkpoint can redraw it.
    /// </summary>
    public int EpochShuffleSeed()
    {
        RememberEpochStart();
        using Tensor seed = randint(int.MaxValue, new long[] { 1 }, dtype: ScalarType.Int64, generator: ShuffleRandom);
        return (int)seed.item<long>();
    }

    /// <summary>
    /// Moves to batch 0 of the next epoch and remembers the shuffle state its order will be drawn from, so that a checkpoint
    /// written before that order is drawn (the final one of a run that ends on an epoch boundary) redraws it, not the last epoch's.
    /// </summary>
    public void StartNextEpoch()
    {
        Epoch++;
        Batch = 0;
        RememberEpochStart();
    }

    public TrainingCheckpoint Capture(RunIdentity identity)
    {
        float[] sums;
        using (NewDisposeScope())
        {
            sums = Sums.cpu().data<float>().ToArray();
        }
        return new TrainingCheckpoint
        {
            Identity = identity,
            DeviceType = _device.type.ToString(),
            Step = Step,
            Epoch = Epoch,
            Batch = Batch,
            DiscriminatorUpdates = DiscriminatorUpdates,
            StepsSinceLog = StepsSinceLog,
            Sums = sums,
            LearningRateScale = LearningRateScale,
            RollbacksUsed = RollbacksUsed,
            EpochShuffleState = StateBytes(_epochShuffleState ?? throw new InvalidOperationException("No epoch has started.")),
            NoiseState = GeneratorState(NoiseRandom),
            Generator = ModuleBytes(_game.Generator),
            Discriminator = ModuleBytes(_game.Discriminator),
            GeneratorOptimizer = OptimizerBytes(GeneratorOptimizer),
            DiscriminatorOptimizer = OptimizerBytes(DiscriminatorOptimizer),
            GeneratorAverage = Average?.Save(),
            History = History.ToList(),
            AugmentationProbability = _game.AugmentationStrength?.Value,
        };
    }

    /// <summary>
    /// Puts the run back in <paramref name="checkpoint"/>'s state. Returns false when the noise generator's state could not
    /// be restored because the checkpoint comes from another device kind (the noise stream then restarts).
    /// </summary>
    public bool Restore(TrainingCheckpoint checkpoint, string path)
    {
        if ((checkpoint.GeneratorAverage != null) != (Average != null))
        {
            throw new ArgumentException($"Checkpoint '{path}' {(Average == null ? "holds" : "lacks")} a generator average; GeneratorEmaDecay must match.", nameof(GanTrainer.Options.ResumeFrom));
        }
        try
        {
            LoadModule(_game.Generator, checkpoint.Generator);
            LoadModule(_game.Discriminator, checkpoint.Discriminator);
            LoadOptimizer(GeneratorOptimizer, checkpoint.GeneratorOptimizer);
            LoadOptimizer(DiscriminatorOptimizer, checkpoint.DiscriminatorOptimizer);
            Average?.Load(checkpoint.GeneratorAverage!);
        }
        catch (Exception e) when (e is ArgumentException or EndOfStreamException)
        {
            throw new InvalidDataException($"Checkpoint '{path}' does not fit the networks of this run: {e.Message}", e);
        }
        SetState(ShuffleRandom, checkpoint.EpochShuffleState);
        bool sameDevice = checkpoint.DeviceType == _device.type.ToString();
        if (sameDevice)
        {
            SetState(NoiseRandom, checkpoint.NoiseState);
        }
        using (NewDisposeScope())
        {
            Sums.copy_(tensor(checkpoint.Sums));
        }
        Step = checkpoint.Step;
        Epoch = checkpoint.Epoch;
        Batch = checkpoint.Batch;
        DiscriminatorUpdates = checkpoint.DiscriminatorUpdates;
        StepsSinceLog = checkpoint.StepsSinceLog;
        LearningRateScale = checkpoint.LearningRateScale;
        RollbacksUsed = checkpoint.RollbacksUsed;
        History = checkpoint.History.ToList();
        if (_game.AugmentationStrength is AdaptiveAugmentationStrength strength)
        {
            strength.Restore(checkpoint.AugmentationProbability ?? 0);
        }
        return sameDevice;
    }

    /// <summary>After restoring the last checkpoint on divergence: one more rollback, and both learning rates scaled down.</summary>
    public void RecordRollback(int rollbacksBefore, double scaleBefore, double factor)
    {
        RollbacksUsed = rollbacksBefore + 1;
        LearningRateScale = scaleBefore * factor;
        GeneratorOptimizer.LearningRate = _generatorLearningRate * LearningRateScale;
        DiscriminatorOptimizer.LearningRate = _discriminatorLearningRate * LearningRateScale;
    }

    public void Dispose()
    {
        GeneratorOptimizer.Dispose();
        DiscriminatorOptimizer.Dispose();
        ShuffleRandom.Dispose();
        NoiseRandom.Dispose();
        Sums.Dispose();
        Average?.Dispose();
        _epochShuffleState?.Dispose();
    }

    private void RememberEpochStart()
    {
        _epochShuffleState?.Dispose();
        _epochShuffleState = ShuffleRandom.get_state();
    }

    private static byte[] GeneratorState(torch.Generator generator)
    {
        using Tensor state = generator.get_state();
        return StateBytes(state);
    }

    private static byte[] StateBytes(Tensor state) => state.data<byte>().ToArray();

    private static void SetState(torch.Generator generator, byte[] bytes)
    {
        using Tensor state = tensor(bytes);
        generator.set_state(state);
    }

    private static byte[] ModuleBytes(nn.Module module)
    {
        // TorchSharp's save closes the stream it is given, so it writes to its own buffer.
        var buffer = new MemoryStream();
        module.save(buffer);
        return buffer.ToArray();
    }

    private static void LoadModule(nn.Module module, byte[] bytes) => module.load(new MemoryStream(bytes));

    private static byte[] OptimizerBytes(AdamOptimizer optimizer)
    {
        var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer))
        {
            optimizer.Save(writer);
        }
        return buffer.ToArray();
    }

    private static void LoadOptimizer(AdamOptimizer optimizer, byte[] bytes)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes));
        optimizer.Load(reader);
    }
}
