using System;
using System.Collections.Generic;
using Microsoft.ML.Gan.Training.Checkpoints;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Training;

/// <summary>
/// Training rows held whole on the training device: each epoch is a random permutation of all rows, and a batch is
/// the rows its slice of the permutation selects.
/// </summary>
internal sealed class InMemoryBatchSource : TrainingBatchSource
{
    private readonly Tensor _images;
    private readonly Tensor? _labels;
    private Tensor? _order;

    /// <param name="images">All images, [N, C, H, W] in [−1, 1] on the CPU; the source takes ownership.</param>
    /// <param name="labels">For conditional games, all class indices [N] (int64) on the CPU; the source takes ownership.</param>
    /// <param name="batchSize">The requested batch size.</param>
    /// <param name="classCounts">For conditional games: the rows of each class index.</param>
    /// <param name="device">The training device.</param>
    public InMemoryBatchSource(Tensor images, Tensor? labels, int batchSize, IReadOnlyList<long>? classCounts, Device device)
        : base(images.shape[0], batchSize, classCounts)
    {
        _images = MoveTo(images, device);
        _labels = labels is null ? null : MoveTo(labels, device);
    }

    public override IEnumerable<KeyValuePair<string, string>> OrderSettings
    {
        get
        {
            yield return new KeyValuePair<string, string>(nameof(GanTrainer.Options.DataLoading), nameof(TrainingDataMode.InMemory));
        }
    }

    public override DataFingerprint Fingerprint()
    {
        using var builder = new DataFingerprintBuilder(_labels is not null);
        AppendBytes(_images, builder.AddImages);
        if (_labels is not null)
        {
            AppendBytes(_labels, builder.AddLabels);
        }
        return builder.Finish();
    }

    public override void StartEpoch(TrainingState state)
    {
        _order?.Dispose();
        _order = state.ShuffleEpoch(Count);
    }

    public override TrainingBatch Batch(long index)
    {
        Tensor rows = _order!.narrow(0, index * BatchSize, BatchSize);
        return new TrainingBatch(_images.index_select(0, rows), _labels?.index_select(0, rows));
    }

    public override void EndEpoch()
    {
        _order?.Dispose();
        _order = null;
    }

    public override void Dispose()
    {
        EndEpoch();
        _images.Dispose();
        _labels?.Dispose();
    }

    // In chunks of rows of at most 64 MiB: a tensor's bytes are read as one span, and one on a GPU is copied to the CPU.
    private static void AppendBytes(Tensor all, Action<ReadOnlySpan<byte>> append)
    {
        long rows = all.shape[0];
        long rowBytes = all.numel() / rows * all.ElementSize;
        long chunk = Math.Max(1, (64L << 20) / rowBytes);
        for (long start = 0; start < rows; start += chunk)
        {
            using (NewDisposeScope())
            {
                append(all.narrow(0, start, Math.Min(chunk, rows - start)).cpu().contiguous().bytes);
            }
        }
    }

    // The CPU tensor is not needed once the device has its copy (on the CPU both share one storage).
    private static Tensor MoveTo(Tensor tensor, Device device)
    {
        Tensor moved = tensor.to(device);
        if (!ReferenceEquals(moved, tensor))
        {
            tensor.Dispose();
        }
        return moved;
    }
}
