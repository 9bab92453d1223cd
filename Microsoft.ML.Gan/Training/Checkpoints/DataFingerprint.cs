using System.Collections.Generic;

namespace Microsoft.ML.Gan.Training.Checkpoints;

/// <summary>
/// SHA-256 digests (lower-case hex) of the training data exactly as training sees it, in data order: the images as
/// float32 values in [−1, 1], and for conditional games the class indices as int64. A resume compares them, so a run
/// does not continue on other data of the same count and shape.
/// </summary>
/// <param name="Images">The digest of every image's pixels.</param>
/// <param name="Labels">The digest of every row's class index; null for games without labels.</param>
internal sealed record DataFingerprint(string Images, string? Labels)
{
    /// <summary>What differs between this fingerprint, a checkpoint's, and <paramref name="now"/>, the run's data; empty when nothing does.</summary>
    public List<string> Differences(DataFingerprint now)
    {
        var differences = new List<string>();
        if (Images != now.Images)
        {
            differences.Add($"the training images' pixels (or their row order) differ: SHA-256 {Short(Images)} in the checkpoint, {Short(now.Images)} now");
        }
        if (Labels != now.Labels)
        {
            differences.Add($"the class labels differ: SHA-256 {Short(Labels)} in the checkpoint, {Short(now.Labels)} now");
        }
        return differences;
    }

    private static string Short(string? digest) => digest is null ? "(none)" : digest[..12] + "…";
}
