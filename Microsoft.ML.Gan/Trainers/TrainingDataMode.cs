namespace Microsoft.ML.Gan;

/// <summary>How <c>Fit</c> reads the training images: see <see cref="GanTrainer.Options.DataLoading"/> and docs/performance.md.</summary>
public enum TrainingDataMode
{
    /// <summary>
    /// <see cref="InMemory"/> when the images fit in <see cref="GanTrainer.Options.MaxInMemoryBytes"/> as 32-bit floats,
    /// otherwise <see cref="Streaming"/>. The default.
    /// </summary>
    Auto,

    /// <summary>
    /// Read the whole image column once into one [N, C, H, W] tensor on the training device and draw each epoch's batches
    /// from a random permutation of all rows.
    /// </summary>
    InMemory,

    /// <summary>
    /// Read the IDataView again every epoch: a background reader turns rows into batches while the previous batch trains,
    /// shuffling them through a pool of <see cref="GanTrainer.Options.ShufflePoolSize"/> rows. Memory stays bounded by the
    /// pool and <see cref="GanTrainer.Options.PrefetchBatches"/>, whatever the size of the data.
    /// </summary>
    Streaming,
}
