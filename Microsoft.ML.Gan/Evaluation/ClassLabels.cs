using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.ML.Data;

namespace Microsoft.ML.Gan.Evaluation;

/// <summary>
/// Reads a label column as class indices 0..K−1. Key columns (any unsigned raw type): class = key − 1, K = the key
/// count, names from the <c>KeyValues</c> annotation when it holds text. Numeric columns: class = the value, which must
/// be a non-negative whole number, K = largest + 1, names "0", "1", ....
/// </summary>
internal sealed class ClassLabels
{
    private const string KeyValuesAnnotation = "KeyValues";

    private readonly DataViewSchema.Column _column;

    private ClassLabels(DataViewSchema.Column column)
    {
        _column = column;
    }

    public string ColumnName => _column.Name;

    /// <summary>Checks that the column exists and holds keys or numbers.</summary>
    /// <exception cref="ArgumentException">The column is missing or of another type.</exception>
    public static ClassLabels Create(DataViewSchema schema, string columnName)
    {
        DataViewSchema.Column column = schema.GetColumnOrNull(columnName) ?? throw new ArgumentException(
            $"Label column '{columnName}' was not found in the data. Available columns: {string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => $"'{c.Name}' ({c.Type})"))}.",
            nameof(columnName));
        if (column.Type is not KeyDataViewType && column.Type is not NumberDataViewType)
        {
            throw new ArgumentException(
                $"Label column '{columnName}' has type {column.Type}; expected a key (e.g. from LoadFromIdxFile or MapValueToKey) or a number holding class indices 0, 1, ....",
                nameof(columnName));
        }

        return new ClassLabels(column);
    }

    /// <summary>The class of every row, the class count and the class names.</summary>
    /// <exception cref="InvalidOperationException">A missing key, a negative or fractional number, fewer than 2 classes.</exception>
    public (int[] Classes, int ClassCount, string[] Names) Read(IDataView data)
    {
        using DataViewRowCursor cursor = data.GetRowCursor(new[] { _column });
        Func<double> get = CreateGetter(cursor);
        var classes = new List<int>();
        while (cursor.MoveNext())
        {
            double value = get();
            if (_column.Type is KeyDataViewType)
            {
                if (value == 0)
                {
                    throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                        $"Row {cursor.Position} of label column '{ColumnName}' holds a missing key (0); every image needs a label."));
                }

                value--;
            }
            else if (!(value >= 0) || value != Math.Floor(value) || value > int.MaxValue - 1)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"Row {cursor.Position} of label column '{ColumnName}' holds {value}; labels must be whole numbers 0, 1, ... (or a key column)."));
            }

            classes.Add((int)value);
        }

        int count = _column.Type is KeyDataViewType key ? checked((int)key.Count) : (classes.Count == 0 ? 0 : classes.Max() + 1);
        if (count < 2)
        {
            throw new InvalidOperationException($"Label column '{ColumnName}' holds {count} class(es); a classifier needs at least 2.");
        }

        return (classes.ToArray(), count, Names(count));
    }

    private string[] Names(int count)
    {
        var names = Enumerable.Range(0, count).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        if (_column.Type is KeyDataViewType && _column.Annotations.Schema.GetColumnOrNull(KeyValuesAnnotation) is DataViewSchema.Column annotation
            && annotation.Type is VectorDataViewType { ItemType: TextDataViewType })
        {
            VBuffer<ReadOnlyMemory<char>> values = default;
            _column.Annotations.GetValue(KeyValuesAnnotation, ref values);
            ReadOnlySpan<ReadOnlyMemory<char>> dense = values.DenseValues().ToArray();
            for (int i = 0; i < Math.Min(count, dense.Length); i++)
            {
                names[i] = dense[i].ToString();
            }
        }

        return names;
    }

    private Func<double> CreateGetter(DataViewRowCursor cursor)
    {
        Type raw = _column.Type.RawType;
        if (raw == typeof(byte)) return Wrap<byte>(cursor, v => v);
        if (raw == typeof(sbyte)) return Wrap<sbyte>(cursor, v => v);
        if (raw == typeof(ushort)) return Wrap<ushort>(cursor, v => v);
        if (raw == typeof(short)) return Wrap<short>(cursor, v => v);
        if (raw == typeof(uint)) return Wrap<uint>(cursor, v => v);
        if (raw == typeof(int)) return Wrap<int>(cursor, v => v);
        if (raw == typeof(ulong)) return Wrap<ulong>(cursor, v => v);
        if (raw == typeof(long)) return Wrap<long>(cursor, v => v);
        if (raw == typeof(float)) return Wrap<float>(cursor, v => v);
        if (raw == typeof(double)) return Wrap<double>(cursor, v => v);
        throw new ArgumentException($"Label column '{ColumnName}' has type {_column.Type}, which cannot hold class indices.");
    }

    private Func<double> Wrap<T>(DataViewRowCursor cursor, Func<T, double> convert)
    {
        ValueGetter<T> getter = cursor.GetGetter<T>(_column);
        T value = default!;
        return () =>
        {
            getter(ref value);
            return convert(value);
        };
    }
}
