using System;
using System.Collections.Generic;

namespace Microsoft.ML.Gan;

/// <summary>
/// Thrown when a loss or a network's weights become NaN or infinite, or (with <see cref="GanTrainer.Options.FiniteDivergence"/>
/// at its default) blow up while finite: training stops instead of producing a broken model. The history up to the
/// divergence and the newest checkpoint (with <see cref="GanTrainer.Options.CheckpointDirectory"/>) come with it.
/// </summary>
public sealed class GanTrainingDivergedException : InvalidOperationException
{
    private const string Advice = "Lower the learning rates, use a Wasserstein loss with a gradient penalty, or enable SpectralNormalization.";

    internal GanTrainingDivergedException(int firstStep, int lastStep, string values)
        : this(firstStep, lastStep, Describe(firstStep, lastStep, values), values, Array.Empty<GanTrainingRecord>(), null)
    {
    }

    private GanTrainingDivergedException(int firstStep, int lastStep, string message, string values,
        IReadOnlyList<GanTrainingRecord> history, string? lastCheckpoint)
        : base(message)
    {
        FirstStep = firstStep;
        LastStep = lastStep;
        Values = values;
        History = history;
        LastCheckpoint = lastCheckpoint;
    }

    /// <summary>The first generator update at which the run may have diverged.</summary>
    public int FirstStep { get; }

    /// <summary>The generator update at which the divergence was seen.</summary>
    public int LastStep { get; }

    /// <summary>The training history recorded before the divergence.</summary>
    public IReadOnlyList<GanTrainingRecord> History { get; }

    /// <summary>The newest checkpoint written before the divergence (resume from it with lower learning rates), or null.</summary>
    public string? LastCheckpoint { get; }

    private string Values { get; }

    /// <summary>The same divergence, with the run's history and last checkpoint attached.</summary>
    internal GanTrainingDivergedException WithContext(IReadOnlyList<GanTrainingRecord> history, string? lastCheckpoint)
    {
        string message = Describe(FirstStep, LastStep, Values) +
                         (lastCheckpoint == null ? "" : $" The newest checkpoint is '{lastCheckpoint}'; resume from it with lower learning rates.");
        return new GanTrainingDivergedException(FirstStep, LastStep, message, Values, history, lastCheckpoint);
    }

    /// <summary>The message's first part: where training diverged and what <paramref name="values"/> show.</summary>
    internal static string Describe(int firstStep, int lastStep, string values) =>
        (firstStep == lastStep ? $"GAN training diverged at generator update {lastStep}: " : $"GAN training diverged between generator updates {firstStep} and {lastStep}: ")
        + values + ". " + Advice;
}
