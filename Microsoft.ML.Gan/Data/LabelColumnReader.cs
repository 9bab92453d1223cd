using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using Microsoft.ML.Data;

namespace Microsoft.ML.Gan.Data;

/// <summary>
/// Reads a class-label column, the companion of <see cref="ImageColumnReader"/> for conditional GANs: an ML.NET key
/// column with a known number of values (from <c>MapValueToKey</c> or <c>LoadFromIdxFile</c>), read as class indices
/// key − 1, with its <c>KeyValues</c> kept as text so classes can be named by their original values.
/// </summary>
internal sealed class LabelColumnReader
{
    private const string KeyValuesKind = "KeyValues";

    private LabelColumnReader(DataViewSchema.Column column, KeyDataViewType keyType, IReadOnlyList<string>? names)
    {
        Column = column;
        KeyType = keyType;
        Names = names;
    }

    /// <summary>The label column.</summary>
    public DataViewSchema.Column Column { get; }

    /// <summary>The column's key type.</summary>
    public KeyDataViewType KeyType { get; }

    /// <summary>The original label values (KeyValues) as text, or null when the column has none.</summary>
    public IReadOnlyList<string>? Names { get; }

    /// <summary>Checks the label column of <paramref name="schema"/>: present, a key type, at least two values.</summary>
    /// <exception cref="ArgumentException">The column is missing, not a key, of unknown cardinality, or has a single value.</exception>
    public static LabelColumnReader Create(DataViewSchema schema, string columnName)
    {
        DataViewSchema.Column column = FindKeyColumn(schema, columnName);
        var keyType = (KeyDataViewType)column.Type;
        if (keyType.Count < 2)
        {
            throw new ArgumentException(
                $"Column '{columnName}' is a key with a single value ({keyType}); a conditional GAN needs at least 2 classes. " +
                "Use mlContext.Gan().Trainers.Gan for data of one class.", nameof(columnName));
        }
        return new LabelColumnReader(column, keyType, ReadNames(column, (int)keyType.Count));
    }

    /// <summary>
    /// Checks that <paramref name="columnName"/> in <paramref name="schema"/> is a key column with as many values as
    /// <paramref name="modelType"/>, for transformers that read labels after training.
    /// </summary>
    public static DataViewSchema.Column FindModelLabelColumn(DataViewSchema schema, string columnName, KeyDataViewType modelType)
    {
        DataViewSchema.Column column = FindKeyColumn(schema, columnName);
        if (((KeyDataViewType)column.Type).Count != modelType.Count)
        {
            throw new ArgumentException(
                $"Column '{columnName}' is {column.Type} but the model was trained on {modelType}: the label keys must have the same {modelType.Count} values.",
                nameof(schema));
        }
        return column;
    }

    /// <summary>Reads every row's class index (key − 1), in row order.</summary>
    /// <exception cref="InvalidOperationException">A row's label is missing (key 0).</exception>
    public long[] ReadAll(IDataView data, Action? checkAlive = null)
    {
        var labels = new List<long>();
        ForEachRow(data, checkAlive, labels.Add);
        return labels.ToArray();
    }

    /// <summary>Counts every row's class index (key − 1) without keeping the labels: element i is the number of rows of class i.</summary>
    /// <exception cref="InvalidOperationException">A row's label is missing (key 0).</exception>
    public long[] CountClasses(IDataView data, Action? checkAlive = null)
    {
        var counts = new long[KeyType.Count];
        ForEachRow(data, checkAlive, index => counts[index]++);
        return counts;
    }

    /// <summary>Counts the class indices <see cref="ReadAll"/> returned: element i is the number of rows of class i.</summary>
    public long[] CountClasses(IEnumerable<long> classes)
    {
        var counts = new long[KeyType.Count];
        foreach (long index in classes)
        {
            counts[index]++;
        }
        return counts;
    }

    // The one pass over the column that ReadAll and CountClasses share.
    private void ForEachRow(IDataView data, Action? checkAlive, Action<long> use)
    {
        DataViewSchema.Column column = data.Schema[Column.Name];
        using DataViewRowCursor cursor = data.GetRowCursor(new[] { column });
        Func<long> read = CreateRowReader(cursor, column, KeyType);
        for (long rows = 0; cursor.MoveNext(); rows++)
        {
            if (rows % 1024 == 0)
            {
                checkAlive?.Invoke();
            }
            use(read());
        }
    }

    /// <summary>A function reading the current row's class index (key − 1) of <paramref name="column"/>; missing or out-of-range keys throw.</summary>
    public static Func<long> CreateRowReader(DataViewRow row, DataViewSchema.Column column, KeyDataViewType keyType)
    {
        Func<ulong> key = KeyGetter(row, column);
        return () =>
        {
            ulong value = key();
            if (value == 0 || value > keyType.Count)
            {
                throw new InvalidOperationException(string.Format(CultureInfo.InvariantCulture,
                    "Row {0} of column '{1}' has {2}; every row needs a label key from 1 to {3}.",
                    row.Position, column.Name, value == 0 ? "a missing label (key 0)" : $"the key {value}", keyType.Count));
            }
            return (long)value - 1;
        };
    }

    private static DataViewSchema.Column FindKeyColumn(DataViewSchema schema, string columnName)
    {
        DataViewSchema.Column column = schema.GetColumnOrNull(columnName) ?? throw new ArgumentException(
            $"Column '{columnName}' was not found in the data; a conditional GAN needs a label column. Available columns: " +
            string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => $"'{c.Name}' ({c.Type})")) + ".", nameof(columnName));
        if (column.Type is not KeyDataViewType keyType)
        {
            throw new ArgumentException(
                $"Column '{columnName}' holds {column.Type}; the labels of a conditional GAN must be a key type. " +
                $"Convert them with mlContext.Transforms.Conversion.MapValueToKey(\"{columnName}\").", nameof(columnName));
        }
        if (keyType.Count == 0 || keyType.Count > int.MaxValue)
        {
            throw new ArgumentException(
                $"Column '{columnName}' is a key of unknown or huge cardinality ({keyType}); a conditional GAN needs a key with a known number of classes, " +
                "as MapValueToKey produces.", nameof(columnName));
        }
        return column;
    }

    private static Func<ulong> KeyGetter(DataViewRow row, DataViewSchema.Column column)
    {
        Type raw = column.Type.RawType;
        if (raw == typeof(byte))
        {
            ValueGetter<byte> get = row.GetGetter<byte>(column);
            return () => { byte v = 0; get(ref v); return v; };
        }
        if (raw == typeof(ushort))
        {
            ValueGetter<ushort> get = row.GetGetter<ushort>(column);
            return () => { ushort v = 0; get(ref v); return v; };
        }
        if (raw == typeof(uint))
        {
            ValueGetter<uint> get = row.GetGetter<uint>(column);
            return () => { uint v = 0; get(ref v); return v; };
        }
        ValueGetter<ulong> getLong = row.GetGetter<ulong>(column);
        return () => { ulong v = 0; getLong(ref v); return v; };
    }

    // KeyValues of any item type are kept as invariant text: that is how they are matched when generating by label.
    private static IReadOnlyList<string>? ReadNames(DataViewSchema.Column column, int classes)
    {
        DataViewSchema.Column? annotation = column.Annotations.Schema.GetColumnOrNull(KeyValuesKind);
        if (annotation is not { Type: VectorDataViewType { ItemType: var itemType } })
        {
            return null;
        }
        MethodInfo read = typeof(LabelColumnReader).GetMethod(nameof(ReadNamesAs), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(itemType.RawType);
        var names = (string[])read.Invoke(null, new object[] { column, annotation.Value })!;
        return names.Length == classes ? names : null;
    }

    private static string[] ReadNamesAs<T>(DataViewSchema.Column column, DataViewSchema.Column annotation)
    {
        VBuffer<T> values = default;
        column.Annotations.GetValue(annotation.Name, ref values);
        return values.DenseValues().Select(value => value switch
        {
            ReadOnlyMemory<char> text => text.ToString(),
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => value?.ToString() ?? string.Empty,
        }).ToArray();
    }
}
