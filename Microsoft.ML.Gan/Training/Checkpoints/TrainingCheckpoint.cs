using System.Collections.Generic;
using System.IO;

namespace Microsoft.ML.Gan.Training.Checkpoints;

/// <summary>
/// Everything a run needs to continue exactly where it stopped: weights, optimiser moments, the moving average, the
/// random generators' states, the position in the current epoch and the history. Tensors are held as bytes, so a
/// checkpoint owns no native memory.
/// </summary>
/// <remarks>
/// Payload format history (inside <see cref="CheckpointFile"/>):
/// 1: settings count (int32) and name/value string pairs; device type (string); step, epoch (int32); batch (int64);
/// discriminator updates, steps since the last log point (int32); running sums (int32 count, float32s); learning-rate
/// scale (float64); rollbacks used (int32); epoch-start shuffle state, noise state, generator, discriminator, generator
/// optimiser, discriminator optimiser (each int32 length + bytes); EMA (bool, then length + bytes); history as in the model.
/// 2: version 1 with the rest of the run's identity (<see cref="RunIdentity"/>) after the settings: has seed (bool), seed
/// (int32, 0 without one); has data fingerprint (bool), then the images' SHA-256 and the labels' SHA-256 (hex strings, the
/// labels' empty without labels). Version 1 reads with no seed and no fingerprint: its data is not checked on resume.
/// 3: version 2 followed by the adaptive augmentation probability (bool, then float64). Versions 1 and 2 read with none.
/// </remarks>
internal sealed class TrainingCheckpoint
{
    private const int PayloadVersion = 3;

    /// <summary>The run this checkpoint belongs to; its settings must match a run that resumes from it.</summary>
    public required RunIdentity Identity { get; init; }

    public required string DeviceType { get; init; }

    /// <summary>Generator updates done.</summary>
    public required int Step { get; init; }

    /// <summary>The epoch (from 1) in progress.</summary>
    public required int Epoch { get; init; }

    /// <summary>The next batch of <see cref="Epoch"/> to train on.</summary>
    public required long Batch { get; init; }

    public required int DiscriminatorUpdates { get; init; }

    public required int StepsSinceLog { get; init; }

    /// <summary>The loss and score sums accumulated since the last log point.</summary>
    public required float[] Sums { get; init; }

    /// <summary>The product of the rollbacks' learning-rate factors so far (1 without rollbacks).</summary>
    public required double LearningRateScale { get; init; }

    public required int RollbacksUsed { get; init; }

    /// <summary>The shuffle generator's state before it drew <see cref="Epoch"/>'s order, so resuming redraws that order.</summary>
    public required byte[] EpochShuffleState { get; init; }

    public required byte[] NoiseState { get; init; }

    public required byte[] Generator { get; init; }

    public required byte[] Discriminator { get; init; }

    public required byte[] GeneratorOptimizer { get; init; }

    public required byte[] DiscriminatorOptimizer { get; init; }

    public required byte[]? GeneratorAverage { get; init; }

    public required IReadOnlyList<GanTrainingRecord> History { get; init; }

    /// <summary>ADA's p at this point, or null for a run without adaptive augmentation.</summary>
    public double? AugmentationProbability { get; init; }

    public void Write(BinaryWriter writer)
    {
        writer.Write(PayloadVersion);
        Identity.Write(writer);
        writer.Write(DeviceType);
        writer.Write(Step);
        writer.Write(Epoch);
        writer.Write(Batch);
        writer.Write(DiscriminatorUpdates);
        writer.Write(StepsSinceLog);
        writer.Write(Sums.Length);
        foreach (float sum in Sums)
        {
            writer.Write(sum);
        }
        writer.Write(LearningRateScale);
        writer.Write(RollbacksUsed);
        foreach (byte[] bytes in new[] { EpochShuffleState, NoiseState, Generator, Discriminator, GeneratorOptimizer, DiscriminatorOptimizer })
        {
            WriteBytes(writer, bytes);
        }
        writer.Write(GeneratorAverage != null);
        if (GeneratorAverage != null)
        {
            WriteBytes(writer, GeneratorAverage);
        }
        writer.Write(History.Count);
        foreach (GanTrainingRecord record in History)
        {
            writer.Write(record.Step);
            writer.Write(record.Epoch);
            writer.Write(record.DiscriminatorLoss);
            writer.Write(record.GeneratorLoss);
            writer.Write(record.RealScore);
            writer.Write(record.FakeScore);
        }
        writer.Write(AugmentationProbability.HasValue);
        writer.Write(AugmentationProbability ?? 0);
    }

    /// <summary>Reads a payload whose integrity <see cref="CheckpointFile"/> has already checked.</summary>
    public static TrainingCheckpoint Read(BinaryReader reader, string path)
    {
        (int version, RunIdentity identity) = ReadVersionAndIdentity(reader, path);
        string device = reader.ReadString();
        int step = reader.ReadInt32(), epoch = reader.ReadInt32();
        long batch = reader.ReadInt64();
        int discriminatorUpdates = reader.ReadInt32(), stepsSinceLog = reader.ReadInt32();
        var sums = new float[reader.ReadInt32()];
        for (int i = 0; i < sums.Length; i++)
        {
            sums[i] = reader.ReadSingle();
        }
        double scale = reader.ReadDouble();
        int rollbacks = reader.ReadInt32();
        byte[] shuffle = ReadBytes(reader), noise = ReadBytes(reader), generator = ReadBytes(reader), discriminator = ReadBytes(reader);
        byte[] generatorOptimizer = ReadBytes(reader), discriminatorOptimizer = ReadBytes(reader);
        byte[]? average = reader.ReadBoolean() ? ReadBytes(reader) : null;
        var history = new List<GanTrainingRecord>();
        for (int i = reader.ReadInt32(); i > 0; i--)
        {
            history.Add(new GanTrainingRecord(reader.ReadInt32(), reader.ReadInt32(), reader.ReadSingle(), reader.ReadSingle(), reader.ReadSingle(), reader.ReadSingle()));
        }
        double? augmentationProbability = null;
        if (version >= 3)
        {
            bool adaptive = reader.ReadBoolean();
            double probability = reader.ReadDouble();
            augmentationProbability = adaptive ? probability : null;
        }
        return new TrainingCheckpoint
        {
            Identity = identity, DeviceType = device, Step = step, Epoch = epoch, Batch = batch,
            DiscriminatorUpdates = discriminatorUpdates, StepsSinceLog = stepsSinceLog, Sums = sums,
            LearningRateScale = scale, RollbacksUsed = rollbacks, EpochShuffleState = shuffle, NoiseState = noise,
            Generator = generator, Discriminator = discriminator, GeneratorOptimizer = generatorOptimizer,
            DiscriminatorOptimizer = discriminatorOptimizer, GeneratorAverage = average, History = history,
            AugmentationProbability = augmentationProbability,
        };
    }

    /// <summary>
    /// Reads the payload's version and the run's identity, which come first: enough to tell which run a checkpoint
    /// belongs to without reading its tensors.
    /// </summary>
    /// <exception cref="InvalidDataException">The payload version is not one this library reads.</exception>
    public static RunIdentity ReadIdentity(BinaryReader reader, string path) => ReadVersionAndIdentity(reader, path).Identity;

    private static (int Version, RunIdentity Identity) ReadVersionAndIdentity(BinaryReader reader, string path)
    {
        int version = reader.ReadInt32();
        if (version is < 1 or > PayloadVersion)
        {
            throw new InvalidDataException($"Checkpoint '{path}' has payload version {version}; this library reads versions 1 to {PayloadVersion}.");
        }
        return (version, RunIdentity.Read(reader, version));
    }

    private static void WriteBytes(BinaryWriter writer, byte[] bytes)
    {
        writer.Write(bytes.Length);
        writer.Write(bytes);
    }

    private static byte[] ReadBytes(BinaryReader reader)
    {
        int length = reader.ReadInt32();
        byte[] bytes = reader.ReadBytes(length);
        if (length < 0 || bytes.Length != length)
        {
            throw new EndOfStreamException("A checkpoint field is shorter than announced.");
        }
        return bytes;
    }
}
