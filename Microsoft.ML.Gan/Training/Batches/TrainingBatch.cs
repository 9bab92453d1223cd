using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Training;

/// <summary>One batch of training rows on the training device: images [N, C, H, W] in [−1, 1], and class indices [N] (int64) for conditional games.</summary>
internal readonly record struct TrainingBatch(Tensor Images, Tensor? Labels)
{
    /// <summary>The number of rows.</summary>
    public long Size => Images.shape[0];
}
