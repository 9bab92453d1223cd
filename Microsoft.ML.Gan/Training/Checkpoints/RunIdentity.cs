using System.Collections.Generic;
using System.IO;

namespace Microsoft.ML.Gan.Training.Checkpoints;

/// <summary>
/// What makes a training run that one run: the settings that shape training, the seed it started from and its data.
/// Every checkpoint records it; a checkpoint folder holds the checkpoints of one run only, and a resume carries the
/// identity of the run it continues into the checkpoints it writes.
/// </summary>
/// <param name="Settings">The settings a resume must match (<see cref="GanTrainer.Options.ResumeSettings"/> and the data's shape and order).</param>
/// <param name="Seed">The seed the run started from; null in checkpoints written before it was recorded.</param>
/// <param name="Data">The training data's fingerprint; null in checkpoints written before it was recorded.</param>
internal sealed record RunIdentity(IReadOnlyList<KeyValuePair<string, string>> Settings, int? Seed, DataFingerprint? Data)
{
    /// <summary>The setting that names the game's regularizers by their ids, in order.</summary>
    public const string RegularizersSetting = "Regularizers";

    // Settings that follow from the others (the regularizers from the loss and its weights), so a checkpoint from before
    // they were recorded matches on the others alone.
    private static readonly HashSet<string> DerivedSettings = new() { RegularizersSetting };

    // Settings recorded since a later library version, with the value a checkpoint from before then implies.
    private static readonly Dictionary<string, string> ImpliedSettings = new()
    {
        [nameof(GanTrainer.Options.DataLoading)] = nameof(TrainingDataMode.InMemory),
        // Before augmentation and R1 existed, every run trained without them: the options unset, recorded as empty.
        [nameof(GanTrainer.Options.Augmentation)] = string.Empty,
        [nameof(GanTrainer.Options.R1Weight)] = string.Empty,
        [nameof(GanTrainer.Options.R1Interval)] = string.Empty,
        [nameof(GanTrainer.Options.AugmentationTarget)] = string.Empty,
        [nameof(GanTrainer.Options.AugmentationAdjustmentImages)] = string.Empty,
        // Before the generator's own λ existed, both updates used CorrelationWeight: the option unset.
        [nameof(OGanTrainer.Options.GeneratorCorrelationWeight)] = string.Empty,
    };

    /// <summary>Writes the identity as payload versions 2 and later lay it out: the settings, then the seed and the fingerprint.</summary>
    public void Write(BinaryWriter writer)
    {
        writer.Write(Settings.Count);
        foreach (KeyValuePair<string, string> setting in Settings)
        {
            writer.Write(setting.Key);
            writer.Write(setting.Value);
        }
        writer.Write(Seed.HasValue);
        writer.Write(Seed ?? 0);
        writer.Write(Data != null);
        if (Data != null)
        {
            writer.Write(Data.Images);
            writer.Write(Data.Labels ?? string.Empty);
        }
    }

    /// <summary>Reads an identity written in payload <paramref name="payloadVersion"/>: version 1 holds only the settings.</summary>
    public static RunIdentity Read(BinaryReader reader, int payloadVersion)
    {
        var settings = new List<KeyValuePair<string, string>>();
        for (int i = reader.ReadInt32(); i > 0; i--)
        {
            settings.Add(new KeyValuePair<string, string>(reader.ReadString(), reader.ReadString()));
        }
        if (payloadVersion < 2)
        {
            return new RunIdentity(settings, null, null);
        }
        bool hasSeed = reader.ReadBoolean();
        int seed = reader.ReadInt32();
        DataFingerprint? data = null;
        if (reader.ReadBoolean())
        {
            string images = reader.ReadString(), labels = reader.ReadString();
            data = new DataFingerprint(images, labels.Length == 0 ? null : labels);
        }
        return new RunIdentity(settings, hasSeed ? seed : null, data);
    }

    /// <summary>Each of <paramref name="current"/>'s settings that differs from this identity's, as "name: checkpoint X, now Y".</summary>
    public List<string> Mismatches(IEnumerable<KeyValuePair<string, string>> current)
    {
        var saved = new Dictionary<string, string>();
        foreach (KeyValuePair<string, string> setting in Settings)
        {
            saved[setting.Key] = setting.Value;
        }
        var mismatches = new List<string>();
        foreach (KeyValuePair<string, string> setting in current)
        {
            if (!saved.TryGetValue(setting.Key, out string? was))
            {
                if (DerivedSettings.Contains(setting.Key))
                {
                    continue;
                }
                was = ImpliedSettings.GetValueOrDefault(setting.Key, "(not recorded)");
            }
            if (was != setting.Value)
            {
                mismatches.Add($"{setting.Key}: checkpoint {was}, now {setting.Value}");
            }
        }
        return mismatches;
    }

    /// <summary>
    /// Whether this identity, a checkpoint's, is that of <paramref name="run"/>: the same settings, and the same seed and
    /// data as far as both record them (checkpoints from before the seed and fingerprint were recorded match on settings).
    /// </summary>
    public bool IsOf(RunIdentity run) =>
        Mismatches(run.Settings).Count == 0
        && (Seed is null || run.Seed is null || Seed == run.Seed)
        && (Data is null || run.Data is null || Data == run.Data);
}
