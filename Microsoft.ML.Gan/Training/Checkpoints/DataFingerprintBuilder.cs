using System;
using System.Security.Cryptography;

namespace Microsoft.ML.Gan.Training.Checkpoints;

/// <summary>Accumulates a <see cref="DataFingerprint"/> from the data's bytes, in data order, in as many pieces as the reader likes.</summary>
internal sealed class DataFingerprintBuilder : IDisposable
{
    private readonly IncrementalHash _images = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly IncrementalHash? _labels;

    /// <param name="hasLabels">Whether the data has class labels (a conditional game).</param>
    public DataFingerprintBuilder(bool hasLabels)
    {
        _labels = hasLabels ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
    }

    /// <summary>Appends image values: float32s, as training sees them.</summary>
    public void AddImages(ReadOnlySpan<byte> bytes) => _images.AppendData(bytes);

    /// <summary>Appends class indices: int64s.</summary>
    public void AddLabels(ReadOnlySpan<byte> bytes) =>
        (_labels ?? throw new InvalidOperationException("This fingerprint has no labels.")).AppendData(bytes);

    /// <summary>The fingerprint of everything appended.</summary>
    public DataFingerprint Finish() =>
        new(Convert.ToHexStringLower(_images.GetHashAndReset()), _labels is null ? null : Convert.ToHexStringLower(_labels.GetHashAndReset()));

    public void Dispose()
    {
        _images.Dispose();
        _labels?.Dispose();
    }
}
