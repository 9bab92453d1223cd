using System;
using System.Collections.Generic;
using System.Linq;

namespace Microsoft.ML.Gan.Transformers;

/// <summary>The lazy result of a transformer's <c>Transform</c>: the input view with a mapping's columns added.</summary>
internal sealed class MappedDataView : IDataView
{
    private readonly IDataView _input;
    private readonly IRowMapping _mapping;

    public MappedDataView(IDataView input, IRowMapping mapping)
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
        DataViewRowCursor input = _input.GetRowCursor(MappedRowState.InputColumnsNeeded(_mapping, active), rand);
        return new MappedCursor(_mapping, input, active);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
    {
        DataViewSchema.Column[] active = columnsNeeded.ToArray();
        return _input.GetRowCursorSet(MappedRowState.InputColumnsNeeded(_mapping, active), n, rand)
            .Select(cursor => (DataViewRowCursor)new MappedCursor(_mapping, cursor, active))
            .ToArray();
    }
}
