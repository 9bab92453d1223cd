using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Gan.Transformers;

namespace Microsoft.ML.Gan.Features;

/// <summary>
/// The lazy result of <see cref="DiscriminatorFeaturesTransformer.Transform"/>. A cursor in the view's own order that
/// reads the features gets them a batch per forward pass (<see cref="FeatureLookahead"/>); a shuffled cursor, or one that
/// does not read them, maps row by row.
/// </summary>
internal sealed class DiscriminatorFeaturesDataView : IDataView
{
    /// <summary>Rows per forward pass: large enough that per-call overhead is small, small enough that the first row comes soon.</summary>
    public const int BatchSize = 128;

    private readonly IDataView _input;
    private readonly DiscriminatorFeaturesRowMapping _mapping;

    public DiscriminatorFeaturesDataView(IDataView input, DiscriminatorFeaturesRowMapping mapping)
    {
        _input = input;
        _mapping = mapping;
    }

    public bool CanShuffle => _input.CanShuffle;

    public DataViewSchema Schema => _mapping.OutputSchema;

    public long? GetRowCount() => _input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        DataViewSchema.Column[] active = columnsNeeded.ToArray();
        bool featuresActive = active.Any(column => column.Index == Schema.Count - 1);
        DataViewRowCursor input = _input.GetRowCursor(MappedRowState.InputColumnsNeeded(_mapping, active), rand);
        if (rand is not null || !featuresActive)
        {
            return new MappedCursor(_mapping, input, active);
        }
        try
        {
            DataViewRowCursor ahead = _input.GetRowCursor(_mapping.Dependencies);
            return new BatchedFeaturesCursor(_mapping, input, new FeatureLookahead(ahead, _mapping, BatchSize), active);
        }
        catch
        {
            input.Dispose();
            throw;
        }
    }

    // One cursor: batching needs the rows in order, which a set of cursors splits between them.
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        new[] { GetRowCursor(columnsNeeded, rand) };
}
