using System;
using System.Collections.Generic;
using System.Linq;

namespace Microsoft.ML.Gan.Transformers;

/// <summary>The column routing shared by a mapped row and a mapped cursor: input columns pass through, added ones are computed.</summary>
internal sealed class MappedRowState
{
    private readonly IRowMapping _mapping;
    private readonly DataViewRow _input;
    private readonly bool[] _active;
    private readonly Delegate[]? _getters;

    public MappedRowState(IRowMapping mapping, DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
    {
        _mapping = mapping;
        _input = input;
        _active = new bool[mapping.OutputSchema.Count];
        foreach (DataViewSchema.Column column in activeColumns)
        {
            _active[column.Index] = true;
        }
        // Only when an added column is requested are its input columns active, and only then may their getters be asked for.
        bool anyAdded = _active.AsSpan(FirstAdded).Contains(true);
        _getters = anyAdded ? mapping.CreateGetters(input) : null;
    }

    public DataViewSchema Schema => _mapping.OutputSchema;

    private int FirstAdded => _mapping.OutputSchema.Count - _mapping.AddedColumns;

    public bool IsColumnActive(DataViewSchema.Column column) => column.Index < FirstAdded
        ? _input.IsColumnActive(_input.Schema[column.Index])
        : _active[column.Index];

    public ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (column.Index < FirstAdded)
        {
            return _input.GetGetter<TValue>(_input.Schema[column.Index]);
        }
        if (!_active[column.Index] || _getters == null)
        {
            throw new InvalidOperationException($"Column '{column.Name}' was not requested as active when the cursor was created.");
        }
        return _getters[column.Index - FirstAdded] as ValueGetter<TValue>
            ?? throw new InvalidOperationException(
                $"Column '{column.Name}' holds {column.Type}; it cannot be read as {typeof(TValue).Name}.");
    }

    /// <summary>The input columns a request for <paramref name="activeOutput"/> needs.</summary>
    public static IEnumerable<DataViewSchema.Column> InputColumnsNeeded(IRowMapping mapping, IEnumerable<DataViewSchema.Column> activeOutput)
    {
        int firstAdded = mapping.OutputSchema.Count - mapping.AddedColumns;
        var needed = new List<DataViewSchema.Column>();
        bool anyAdded = false;
        foreach (DataViewSchema.Column column in activeOutput)
        {
            if (column.Index < firstAdded)
            {
                needed.Add(mapping.InputSchema[column.Index]);
            }
            else
            {
                anyAdded = true;
            }
        }
        if (anyAdded)
        {
            needed.AddRange(mapping.Dependencies);
        }
        return needed.Distinct().ToArray();
    }
}
