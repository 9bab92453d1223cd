using System;
using System.Collections.Generic;
using Microsoft.ML.Gan.Training.Checkpoints;

namespace Microsoft.ML.Gan.Training;

/// <summary>
/// Where <see cref="GanTrainingLoop"/> gets its batches: the rows of one epoch, in an order drawn from the run's
/// shuffle generator, cut into <see cref="BatchesPerEpoch"/> full batches (the last, partial one is dropped).
/// </summary>
/// <remarks>
/// The loop calls <see cref="StartEpoch"/>, then <see cref="Batch"/> once for each of the epoch's batch indices in
/// increasing order from <see cref="TrainingState.Batch"/> (the generator's step reuses the last discriminator batch it
/// was given), then <see cref="EndEpoch"/>, also when a step throws.
/// </remarks>
internal abstract class TrainingBatchSource : IDisposable
{
    /// <param name="count">The number of training rows, at least 2.</param>
    /// <param name="batchSize">The requested batch size; a smaller data set gives one batch of all its rows.</param>
    /// <param name="classCounts">For conditional games: the rows of each class index.</param>
    protected TrainingBatchSource(long count, int batchSize, IReadOnlyList<long>? classCounts)
    {
        Count = count;
        BatchSize = (int)Math.Min(batchSize, count);
        BatchesPerEpoch = Math.Max(1, count / BatchSize);
        ClassCounts = classCounts;
    }

    /// <summary>The number of training rows.</summary>
    public long Count { get; }

    /// <summary>Rows per batch.</summary>
    public int BatchSize { get; }

    public long BatchesPerEpoch { get; }

    /// <summary>For conditional games, the rows of each class index; null otherwise.</summary>
    public IReadOnlyList<long>? ClassCounts { get; }

    /// <summary>
    /// The settings the order of an epoch's rows depends on, besides the seed and the data: a checkpoint records them, so a
    /// run is not resumed with a different order.
    /// </summary>
    public abstract IEnumerable<KeyValuePair<string, string>> OrderSettings { get; }

    /// <summary>
    /// The fingerprint of every row as training sees it, in data order, for checkpoints to record and a resume to compare.
    /// Computed on demand, when checkpoints are in use: hashing the rows in memory, or one extra pass over streamed data.
    /// </summary>
    public abstract DataFingerprint Fingerprint();

    /// <summary>Draws the order of the epoch in progress from <paramref name="state"/> and gets ready to give its batches from <see cref="TrainingState.Batch"/> on.</summary>
    public abstract void StartEpoch(TrainingState state);

    /// <summary>
    /// Batch <paramref name="index"/> of the epoch, on the training device, valid for the caller's step: either the
    /// caller's dispose scope owns its tensors or the source does, so the caller never disposes them itself.
    /// </summary>
    public abstract TrainingBatch Batch(long index);

    /// <summary>Releases the epoch's order and whatever reads it; safe to call again.</summary>
    public abstract void EndEpoch();

    public abstract void Dispose();
}
