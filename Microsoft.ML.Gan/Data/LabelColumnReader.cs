using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using Microsoft.ML.Data;

namespace Microsoft.ML.Gan.Data;

/// <summary>
/// The one reader of class-label columns, the companion of <see cref="ImageColumnReader"/>: an ML.NET key column with a
/// known number of values (from <c>MapValueToKey</c> or <c>LoadFromIdxFile</c>), read as class indices key − 1, with
/// its <c>KeyValues</c> kept as text so classes can be named by their original values. Conditional GANs take only keys
/// (<see cref="Create"/>), because the model must give its label column back as the same key type; the evaluation
/// classifier also takes numbers holding the class indices 0, 1, … (<see cref="ReadClasses"/>).
/// </summary>
internal sealed class LabelColumnReader
{

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
        DataViewSchema.Column column = FindKeyColumn(schema, columnName, ConditionalGan);
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
        DataViewSchema.Column column = FindKeyColumn(schema, columnName, ConditionalGan);
        if (((KeyDataViewType)column.Type).Count != modelType.Count)
        {
            throw new ArgumentException(
                $"Column '{columnName}' is {column.Type} but the model was trained on {modelType}: the label keys must have the same {modelType.Count} values.",
                nameof(schema));
        }
        return column;
    }

    /// <summary>
    /// A classifier's labels: every row's class index, the class count K and each class's name. A key column gives
    /// key − 1, K = its key count and the <c>KeyValues</c> as names; a numeric column gives its values, which must be
    /// whole numbers ≥ 0, K = the largest + 1 and the names "0", "1", ….
    /// </summary>
    /// <exception cref="ArgumentException">The column is missing, or neither a key nor a number.</exception>
    /// <exception cref="InvalidOperationException">A missing key, a negative or fractional number, or fewer than 2 classes.</exception>
    public static (int[] Classes, int ClassCount, string[] Names) ReadClasses(IDataView data, string columnName)
    {
        DataViewSchema.Column column = FindClassColumn(data.Schema, columnName);
        int[] classes;
        int count;
        IReadOnlyList<string>? names = null;
        if (column.Type is KeyDataViewType)
        {
            column = FindKeyColumn(data.Schema, columnName, Classifier);
            var reader = new LabelColumnReader(column, (KeyDataViewType)column.Type, ReadNames(column, (int)((KeyDataViewType)column.Type).Count));
            classes = reader.ReadAll(data).Select(index => (int)index).ToArray();
            (count, names) = ((int)reader.KeyType.Count, reader.Names);
        }
        else
        {
            classes = ReadNumbers(data, column);
            count = classes.Length == 0 ? 0 : classes.Max() + 1;
        }
        if (count < 2)
        {
            throw new InvalidOperationException($"Label column '{columnName}' holds {count} class(es); a classifier needs at least 2.");
        }
        return (classes, count, names?.ToArray() ?? Enumerable.Range(0, count).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray());
    }

    /// <summary>Checks, from the schema alone, that <see cref="ReadClasses"/> can read <paramref name="columnName"/>: present, a key or a number.</summary>
    /// <exception cref="ArgumentException">The column is missing, or neither a key nor a number.</exception>
    public static DataViewSchema.Column FindClassColumn(DataViewSchema schema, string columnName)
    {
        DataViewSchema.Column column = FindColumn(schema, columnName, Classifier);
        return column.Type is KeyDataViewType or NumberDataViewType ? column : throw new ArgumentException(
            $"Label column '{columnName}' has type {column.Type}; expected a key (e.g. from LoadFromIdxFile or MapValueToKey) or a number holding class indices 0, 1, ....",
            nameof(columnName));
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

    private const string ConditionalGan = "a conditional GAN", Classifier = "a classifier";

    private static DataViewSchema.Column FindColumn(DataViewSchema schema, string columnName, string user) =>
        schema.GetColumnOrNull(columnName) ?? throw new ArgumentException(
            $"Column '{columnName}' was not found in the data; {user} needs a label column. Available columns: " +
            string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => $"'{c.Name}' ({c.Type})")) + ".", nameof(columnName));

    private static DataViewSchema.Column FindKeyColumn(DataViewSchema schema, string columnName, string user)
    {
        DataViewSchema.Column column = FindColumn(schema, columnName, user);
        if (column.Type is not KeyDataViewType keyType)
        {
            throw new ArgumentException(
                $"Column '{columnName}' holds {column.Type}; the labels of {user} must be a key type. " +
                $"Convert them with mlContext.Transforms.Conversion.MapValueToKey(\"{columnName}\").", nameof(columnName));
        }
        if (keyType.Count == 0 || keyType.Count > int.MaxValue)
        {
            throw new ArgumentException(
                $"Column '{columnName}' is a key of unknown or huge cardinality ({keyType}); {user} needs a key with a known number of classes, " +
                "as MapValueToKey produces.", nameof(columnName));
        }
        return column;
    }

    // Class indices held as numbers: each must be a whole number from 0 up.
    private static int[] ReadNumbers(IDataView data, DataViewSchema.Column column)
    {
        using DataViewRowCursor cursor = data.GetRowCursor(new[] { column });
        Func<double> get = column.Type.RawType switch
        {
            Type t when t == typeof(byte) => NumberGetter<byte>(cursor, column),
            Type t when t == typeof(sbyte) => NumberGetter<sbyte>(cursor, column),
            Type t when t == typeof(ushort) => NumberGetter<ushort>(cursor, column),
            Type t when t == typeof(short) => NumberGetter<short>(cursor, column),
            Type t when t == typeof(uint) => NumberGetter<uint>(cursor, column),
            Type t when t == typeof(int) => NumberGetter<int>(cursor, column),
            Type t when t == typeof(ulong) => NumberGetter<ulong>(cursor, column),
            Type t when t == typeof(long) => NumberGetter<long>(cursor, column),
            Type t when t == typeof(float) => NumberGetter<float>(cursor, column),
            Type t when t == typeof(double) => NumberGetter<double>(cursor, column),
            _ => throw new ArgumentException($"Label column '{column.Name}' has type {column.Type}, which cannot hold class indices."),
        };
        var classes = new List<int>();
        while (cursor.MoveNext())
        {
            double value = get();
            if (!(value >= 0) || value != Math.Floor(value) || value > int.MaxValue - 1)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"Row {cursor.Position} of label column '{column.Name}' holds {value}; labels must be whole numbers 0, 1, ... (or a key column)."));
            }
            classes.Add((int)value);
        }
        return classes.ToArray();
    }

    private static Func<double> NumberGetter<T>(DataViewRow row, DataViewSchema.Column column) where T : IConvertible
    {
        ValueGetter<T> get = row.GetGetter<T>(column);
        T value = default!;
        return () =>
        {
            get(ref value);
            return value.ToDouble(CultureInfo.InvariantCulture);
        };
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
        DataViewSchema.Column? annotation = column.Annotations.Schema.GetColumnOrNull(KeyValuesAnnotation.Kind);
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
