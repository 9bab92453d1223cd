using System;
using System.Collections.Generic;

namespace Microsoft.ML.Gan.Transformers;

/// <summary>
/// What a transformer adds to each row: its output columns, the input columns they read, and the getters that compute
/// them from an input row. <see cref="MappedDataView"/>, <see cref="MappedCursor"/> and <see cref="RowToRowMapper"/>
/// turn one of these into ML.NET's data view, cursor and row mapper.
/// </summary>
internal interface IRowMapping
{
    /// <summary>The input schema the mapping was bound to (checked when it was built).</summary>
    DataViewSchema InputSchema { get; }

    /// <summary>The schema of a mapped row: the input columns followed by <see cref="AddedColumns"/>.</summary>
    DataViewSchema OutputSchema { get; }

    /// <summary>The number of columns the mapping appends.</summary>
    int AddedColumns { get; }

    /// <summary>The input columns the added columns are computed from.</summary>
    IEnumerable<DataViewSchema.Column> Dependencies { get; }

    /// <summary>One getter per added column (a ValueGetter of that column's type) reading from <paramref name="input"/>.</summary>
    Delegate[] CreateGetters(DataViewRow input);
}
