using Microsoft.ML.Data;
using System.Collections.Generic;

namespace Microsoft.ML.Gan.Transformers;

/// <summary>A single input row with a mapping's columns added (what <c>PredictionEngine</c> reads).</summary>
internal sealed class MappedRow : DataViewRow
{
    private readonly DataViewRow _input;
    private readonly MappedRowState _state;

    public MappedRow(IRowMapping mapping, DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
    {
        _input = input;
        _state = new MappedRowState(mapping, input, activeColumns);
    }

    public override long Position => _input.Position;

    public override long Batch => _input.Batch;

    public override DataViewSchema Schema => _state.Schema;

    public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

    public override bool IsColumnActive(DataViewSchema.Column column) => _state.IsColumnActive(column);

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => _state.GetGetter<TValue>(column);
}
