using System;
using System.Collections.Generic;
using Microsoft.ML.Data;

namespace Microsoft.ML.Gan.Features;

/// <summary>A cursor over the input with the feature column added, its features computed a batch at a time by a <see cref="FeatureLookahead"/>.</summary>
internal sealed class BatchedFeaturesCursor : DataViewRowCursor
{
    private readonly DataViewRowCursor _input;
    private readonly FeatureLookahead _lookahead;
    private readonly DiscriminatorFeaturesRowMapping _mapping;
    private readonly bool _featuresActive;
    private readonly ValueGetter<VBuffer<float>> _featuresGetter;

    public BatchedFeaturesCursor(DiscriminatorFeaturesRowMapping mapping, DataViewRowCursor input, FeatureLookahead lookahead,
        IEnumerable<DataViewSchema.Column> activeColumns)
    {
        _mapping = mapping;
        _input = input;
        _lookahead = lookahead;
        foreach (DataViewSchema.Column column in activeColumns)
        {
            _featuresActive |= column.Index == FeaturesIndex;
        }
        Action<Span<float>> readImage = mapping.Reader.CreateRowReader(input);
        var pixels = new float[mapping.Network.Shape.PixelCount];
        var features = new float[mapping.Network.FeatureCount];
        long cachedPosition = -1;
        _featuresGetter = (ref VBuffer<float> value) =>
        {
            if (cachedPosition != input.Position)
            {
                readImage(pixels);
                if (!_lookahead.TryGet(input.Position, pixels, features))
                {
                    mapping.Network.Extract(pixels, 1, features);
                    mapping.Standardization?.Apply(features, 1);
                }
                cachedPosition = input.Position;
            }
            VBufferEditor<float> editor = VBufferEditor.Create(ref value, features.Length);
            features.CopyTo(editor.Values);
            value = editor.Commit();
        };
    }

    public override long Position => _input.Position;

    public override long Batch => _input.Batch;

    public override DataViewSchema Schema => _mapping.OutputSchema;

    private int FeaturesIndex => _mapping.OutputSchema.Count - 1;

    public override bool MoveNext() => _input.MoveNext();

    public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

    public override bool IsColumnActive(DataViewSchema.Column column) => column.Index < FeaturesIndex
        ? _input.IsColumnActive(_input.Schema[column.Index])
        : _featuresActive;

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (column.Index < FeaturesIndex)
        {
            return _input.GetGetter<TValue>(_input.Schema[column.Index]);
        }
        if (!_featuresActive)
        {
            throw new InvalidOperationException($"Column '{column.Name}' was not requested as active when the cursor was created.");
        }
        return _featuresGetter as ValueGetter<TValue>
            ?? throw new InvalidOperationException($"Column '{column.Name}' holds {column.Type}; it cannot be read as {typeof(TValue).Name}.");
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _input.Dispose();
            _lookahead.Dispose();
        }
        base.Dispose(disposing);
    }
}
