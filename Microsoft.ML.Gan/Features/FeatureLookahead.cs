using System;
using System.IO;

namespace Microsoft.ML.Gan.Features;

/// <summary>
/// Computes features for the rows a cursor is about to reach, a batch per forward pass, by reading the same view
/// through a second cursor of its own. A row's batched features are used only when the second cursor held exactly the
/// same pixels at that position; at the first row where it did not (a view whose order is not repeatable), batching
/// stops and every row is computed on its own, so the features are always those of the row's own image.
/// </summary>
internal sealed class FeatureLookahead : IDisposable
{
    private readonly DataViewRowCursor _cursor;
    private readonly Action<Span<float>> _readImage;
    private readonly DiscriminatorFeatureNetwork _network;
    private readonly FeatureStandardization? _standardization;
    private readonly int _batchSize;
    private readonly float[] _images;
    private readonly float[] _features;
    private long _start = -1;
    private int _count;
    private bool _disabled;

    public FeatureLookahead(DataViewRowCursor cursor, DiscriminatorFeaturesRowMapping mapping, int batchSize)
    {
        _cursor = cursor;
        _readImage = mapping.Reader.CreateRowReader(cursor);
        _network = mapping.Network;
        _standardization = mapping.Standardization;
        _batchSize = batchSize;
        _images = new float[batchSize * _network.Shape.PixelCount];
        _features = new float[batchSize * _network.FeatureCount];
    }

    /// <summary>
    /// Copies the features of the row at <paramref name="position"/>, whose image is <paramref name="pixels"/>, into
    /// <paramref name="destination"/>; false when they are not available from a batch and must be computed for the row alone.
    /// </summary>
    public bool TryGet(long position, ReadOnlySpan<float> pixels, Span<float> destination)
    {
        if (_disabled)
        {
            return false;
        }
        if ((position < _start || position >= _start + _count) && !Fill(position))
        {
            return false;
        }
        int pixelCount = _network.Shape.PixelCount, featureCount = _network.FeatureCount;
        int index = (int)(position - _start);
        if (!pixels.SequenceEqual(_images.AsSpan(index * pixelCount, pixelCount)))
        {
            Disable();
            return false;
        }
        _features.AsSpan(index * featureCount, featureCount).CopyTo(destination);
        return true;
    }

    public void Dispose() => _cursor.Dispose();

    // Reads up to a batch of consecutive rows from position on and computes their features.
    private bool Fill(long position)
    {
        _count = 0;
        if (_cursor.Position >= position)
        {
            Disable();   // a cursor cannot go back: the main cursor did not move forward one row at a time
            return false;
        }
        while (_cursor.Position < position)
        {
            if (!_cursor.MoveNext())
            {
                return false;
            }
        }
        if (_cursor.Position != position)
        {
            Disable();
            return false;
        }
        int pixelCount = _network.Shape.PixelCount;
        _start = position;
        do
        {
            try
            {
                _readImage(_images.AsSpan(_count * pixelCount, pixelCount));
            }
            catch (Exception e) when (e is InvalidOperationException or InvalidDataException)
            {
                // A bad row ahead of the main cursor: it is reported when (and if) the main cursor reaches it.
                break;
            }
            _count++;
        }
        while (_count < _batchSize && _cursor.MoveNext() && _cursor.Position == position + _count);
        if (_count == 0)
        {
            return false;
        }
        _network.Extract(_images, _count, _features);
        _standardization?.Apply(_features, _count);
        return true;
    }

    private void Disable()
    {
        _disabled = true;
        _count = 0;
        _cursor.Dispose();
    }
}
