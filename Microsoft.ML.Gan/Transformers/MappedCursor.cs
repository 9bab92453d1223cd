using Microsoft.ML.Data;
using System.Collections.Generic;

namespace Microsoft.ML.Gan.Transformers;

/// <summary>A cursor over an input cursor with a mapping's columns added.</summary>
internal sealed class MappedCursor : DataViewRowCursor
{
    private readonly DataViewRowCursor _input;
    private readonly MappedRowState _state;

    public MappedCursor(IRowMapping mapping, DataViewRowCursor input, IEnumerable<DataViewSchema.Column> activeColumns)
    {
        _input = input;
        _state = new MappedRowState(mapping, input, activeColumns);
    }

    public override long Position => _input.Position;

    public override long Batch => _input.Batch;

    public override DataViewSchema Schema => _state.Schema;

    public override bool MoveNext() => _input.MoveNext();

    public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

    public override bool IsColumnActive(DataViewSchema.Column column) => _state.IsColumnActive(column);

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => _state.GetGetter<TValue>(column);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _input.Dispose();
        }
        base.Dispose(disposing);
    }
}
