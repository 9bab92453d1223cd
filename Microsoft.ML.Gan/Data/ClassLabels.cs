using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.ML.Data;

namespace Microsoft.ML.Gan.Data;

/// <summary>
/// The classes a conditional model was trained on: the label column's key type, the original label values
/// (its <c>KeyValues</c>, as text) and how often each class occurred. Class index i is key i + 1 (key 0 means missing).
/// </summary>
internal sealed class ClassLabels
{
    private readonly double[] _cumulative;

    public ClassLabels(KeyDataViewType keyType, IReadOnlyList<string>? names, IReadOnlyList<double> frequencies)
    {
        if (names is not null && names.Count != (int)keyType.Count)
        {
            throw new ArgumentException($"{names.Count} label names were given for {keyType.Count} classes.", nameof(names));
        }
        if (frequencies.Count != (int)keyType.Count)
        {
            throw new ArgumentException($"{frequencies.Count} class frequencies were given for {keyType.Count} classes.", nameof(frequencies));
        }
        KeyType = keyType;
        Names = names;
        Frequencies = frequencies;
        _cumulative = new double[frequencies.Count];
        double total = frequencies.Sum(), running = 0;
        for (int i = 0; i < frequencies.Count; i++)
        {
            running += frequencies[i] / total;
            _cumulative[i] = running;
        }
    }

    /// <summary>The key type of the label column (its raw type and count).</summary>
    public KeyDataViewType KeyType { get; }

    /// <summary>The number of classes K.</summary>
    public int Count => (int)KeyType.Count;

    /// <summary>The original label value of each class, or null when the label column had no <c>KeyValues</c>.</summary>
    public IReadOnlyList<string>? Names { get; }

    /// <summary>The share of each class among the training rows (sums to 1).</summary>
    public IReadOnlyList<double> Frequencies { get; }

    /// <summary>The name of class <paramref name="index"/>: its original value, or its key when there are no names.</summary>
    public string NameOf(int index) => Names?[index] ?? (index + 1).ToString(CultureInfo.InvariantCulture);

    /// <summary>The class whose original value is <paramref name="label"/> (exact, then case-insensitive match).</summary>
    /// <exception cref="ArgumentException">No class has that value.</exception>
    public int IndexOf(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        if (Names is null)
        {
            throw new ArgumentException(
                $"The model's label column had no KeyValues, so its classes have no names; ask for a class by its key (1 to {Count}) instead of '{label}'.",
                nameof(label));
        }
        int index = IndexOf(label, StringComparison.Ordinal);
        if (index < 0)
        {
            index = IndexOf(label, StringComparison.OrdinalIgnoreCase);
        }
        return index >= 0 ? index : throw new ArgumentException(
            $"Unknown label '{label}': the model was trained on the labels {string.Join(", ", Names.Select(n => "'" + n + "'"))}.", nameof(label));
    }

    /// <summary>The class of key <paramref name="key"/> (1 … K).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The key is 0 (missing) or larger than K.</exception>
    public int IndexOfKey(ulong key) => key >= 1 && key <= (ulong)Count
        ? (int)(key - 1)
        : throw new ArgumentOutOfRangeException(nameof(key), key, $"Unknown label key {key}: the model's label keys are 1 to {Count} (0 means a missing label).");

    /// <summary>The class whose cumulative frequency first exceeds <paramref name="unit"/> ∈ [0, 1): a draw from the training label distribution.</summary>
    public int Draw(double unit)
    {
        int index = Array.FindIndex(_cumulative, c => unit < c);
        return index >= 0 ? index : Array.FindLastIndex(_cumulative, c => c > 0);
    }

    /// <summary>The annotations of an output label column: <c>KeyValues</c> when the classes have names.</summary>
    public DataViewSchema.Annotations Annotations()
    {
        var builder = new DataViewSchema.Annotations.Builder();
        if (Names is not null)
        {
            KeyValuesAnnotation.Add(builder, Names);
        }
        return builder.ToAnnotations();
    }

    /// <summary>A getter of the label column's raw key type (byte, ushort, uint or ulong) returning the key of the class <paramref name="index"/> gives.</summary>
    public Delegate CreateKeyGetter(Func<int> index) => KeyType.RawType switch
    {
        Type t when t == typeof(byte) => (ValueGetter<byte>)((ref byte key) => key = (byte)(index() + 1)),
        Type t when t == typeof(ushort) => (ValueGetter<ushort>)((ref ushort key) => key = (ushort)(index() + 1)),
        Type t when t == typeof(uint) => (ValueGetter<uint>)((ref uint key) => key = (uint)(index() + 1)),
        Type t when t == typeof(ulong) => (ValueGetter<ulong>)((ref ulong key) => key = (ulong)(index() + 1)),
        _ => throw new InvalidOperationException($"Unsupported key raw type {KeyType.RawType.Name}."),
    };

    private int IndexOf(string label, StringComparison comparison)
    {
        for (int i = 0; i < Names!.Count; i++)
        {
            if (string.Equals(Names[i], label, comparison))
            {
                return i;
            }
        }
        return -1;
    }
}
