using System;
using System.Collections.Generic;
using Microsoft.ML.Data;

namespace Microsoft.ML.Gan;

/// <summary>
/// Where a running GAN training stands, handed to <see cref="GanTrainer.Options.ProgressCallback"/> on the training
/// thread. Valid only during the callback: keep no reference to it.
/// </summary>
public sealed class GanTrainingProgress
{
    private readonly Func<int, int, IReadOnlyList<MLImage>> _sample;

    internal GanTrainingProgress(int step, int totalSteps, int epoch, int epochs, bool isEpochEnd, TimeSpan elapsed,
        GanTrainingRecord? latestRecord, Func<int, int, IReadOnlyList<MLImage>> sample)
    {
        Step = step;
        TotalSteps = totalSteps;
        Epoch = epoch;
        Epochs = epochs;
        IsEpochEnd = isEpochEnd;
        Elapsed = elapsed;
        LatestRecord = latestRecord;
        _sample = sample;
    }

    /// <summary>Generator updates done so far.</summary>
    public int Step { get; }

    /// <summary>Generator updates the run will make in all.</summary>
    public int TotalSteps { get; }

    /// <summary>The current epoch, from 1.</summary>
    public int Epoch { get; }

    /// <summary>Epochs the run will make in all (fewer than <see cref="GanTrainer.Options.Epochs"/> when MaxSteps ends it first).</summary>
    public int Epochs { get; }

    /// <summary>True for the call made once at the end of each epoch, after that epoch's last update.</summary>
    public bool IsEpochEnd { get; }

    /// <summary>Time since training started (data loading excluded).</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>The most recent record of <see cref="GanTransformerBase.TrainingHistory"/>, or null before the first log point.</summary>
    public GanTrainingRecord? LatestRecord { get; }

    /// <summary>
    /// Images from the generator as it is now: image i comes from the same latent vector as image i of
    /// <c>Generate(count, seed)</c> on the finished model, so grids from successive calls show training progress. Costs
    /// one generator forward pass; the images belong to the caller.
    /// </summary>
    /// <param name="count">How many images (1 to 1,024).</param>
    /// <param name="seed">The seed of the latent vectors.</param>
    public IReadOnlyList<MLImage> SampleImages(int count, int seed = 0)
    {
        if (count < 1 || count > 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "SampleImages takes 1 to 1,024 images.");
        }
        return _sample(count, seed);
    }
}
