namespace Microsoft.ML.Gan.Training;

/// <summary>
/// One batch's rows as the streaming reader writes them: images planar and contiguous in [−1, 1], and class indices
/// for conditional games. Buffers are pooled and reused for every batch of a run.
/// </summary>
internal sealed class StreamedBatch
{
    public StreamedBatch(int batchSize, int pixelCount, bool hasLabels)
    {
        Images = new float[checked(batchSize * pixelCount)];
        Labels = hasLabels ? new long[batchSize] : null;
    }

    /// <summary>[B × C × H × W] floats.</summary>
    public float[] Images { get; }

    /// <summary>[B] class indices, or null for unconditional games.</summary>
    public long[]? Labels { get; }
}
