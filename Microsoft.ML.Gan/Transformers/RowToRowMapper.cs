using System.Collections.Generic;
using Microsoft.ML.Data;

namespace Microsoft.ML.Gan.Transformers;

/// <summary>ML.NET's row-at-a-time view of a transformer, used by <c>PredictionEngine</c>.</summary>
internal sealed class RowToRowMapper : IRowToRowMapper
{
    private readonly IRowMapping _mapping;

    public RowToRowMapper(IRowMapping mapping)
    {
        _mapping = mapping;
    }

    public DataViewSchema InputSchema => _mapping.InputSchema;

    public DataViewSchema OutputSchema => _mapping.OutputSchema;

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns) =>
        MappedRowState.InputColumnsNeeded(_mapping, dependingColumns);

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns) =>
        new MappedRow(_mapping, input, activeColumns);
}
