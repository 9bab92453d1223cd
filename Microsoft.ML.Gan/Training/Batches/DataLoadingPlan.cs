using System.Globalization;
using Microsoft.ML.Gan.Data;

namespace Microsoft.ML.Gan.Training;

/// <summary>Whether <c>Fit</c> streams its training data or reads it into memory, and the reason, for the log.</summary>
/// <param name="Streams">True to stream from the IDataView every epoch, false to read all rows into one tensor.</param>
/// <param name="Reason">One line saying which and why.</param>
internal sealed record DataLoadingPlan(bool Streams, string Reason)
{
    /// <summary>Resolves <paramref name="mode"/> for <paramref name="rows"/> images of <paramref name="shape"/>.</summary>
    /// <param name="mode">The requested mode; <see cref="TrainingDataMode.Auto"/> streams when the images as floats exceed <paramref name="maxInMemoryBytes"/>.</param>
    /// <param name="rows">The number of training images.</param>
    /// <param name="shape">Their shape.</param>
    /// <param name="maxInMemoryBytes">The largest float tensor <see cref="TrainingDataMode.Auto"/> reads into memory.</param>
    public static DataLoadingPlan Choose(TrainingDataMode mode, long rows, ImageShape shape, long maxInMemoryBytes)
    {
        // As a double: rows × pixels × 4 can exceed a long for absurd inputs, and only the comparison and the log need it.
        double bytes = (double)rows * shape.PixelCount * sizeof(float);
        string size = string.Format(CultureInfo.InvariantCulture, "{0} images of {1} ({2:F1} MiB as floats)", rows, shape, bytes / (1 << 20));
        string limit = string.Format(CultureInfo.InvariantCulture, "MaxInMemoryBytes {0} ({1:F1} MiB)", maxInMemoryBytes, maxInMemoryBytes / (double)(1 << 20));
        return mode switch
        {
            TrainingDataMode.InMemory => new(false, $"Training data: {size}, read into one tensor (DataLoading InMemory)."),
            TrainingDataMode.Streaming => new(true, $"Training data: {size}, streamed from the IDataView every epoch (DataLoading Streaming)."),
            _ when bytes <= maxInMemoryBytes => new(false, $"Training data: {size} ≤ {limit}, read into one tensor (DataLoading Auto)."),
            _ => new(true, $"Training data: {size} > {limit}, streamed from the IDataView every epoch (DataLoading Auto)."),
        };
    }
}
