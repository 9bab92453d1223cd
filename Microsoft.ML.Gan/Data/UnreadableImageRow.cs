using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;

namespace Microsoft.ML.Gan.Data;

/// <summary>
/// Builds the error for a row whose image could not be produced (ML.NET's LoadImages throws "Invalid input stream
/// contents" or gives no image), naming the row, the file it came from and why that file cannot be decoded.
/// </summary>
/// <remarks>
/// An image column does not say which file it was loaded from, so the row's text columns (the paths LoadImages read)
/// are shown; a value that is an existing file is decoded with <see cref="ImageFile"/> to give the real reason
/// (empty, truncated, not an image) instead of ML.NET's.
/// </remarks>
internal sealed class UnreadableImageRow
{
    private readonly List<(string Name, ValueGetter<ReadOnlyMemory<char>> Getter)> _texts;

    private UnreadableImageRow(List<(string, ValueGetter<ReadOnlyMemory<char>>)> texts) => _texts = texts;

    /// <summary>The visible text columns of <paramref name="schema"/>: the ones to make active beside the image column.</summary>
    public static IEnumerable<DataViewSchema.Column> TextColumns(DataViewSchema schema) =>
        schema.Where(column => !column.IsHidden && column.Type is TextDataViewType);

    /// <summary>Reads the text columns that are active in <paramref name="row"/> when an error needs them.</summary>
    public static UnreadableImageRow For(DataViewRow row) => new(TextColumns(row.Schema)
        .Where(row.IsColumnActive)
        .Select(column => (column.Name, row.GetGetter<ReadOnlyMemory<char>>(column)))
        .ToList());

    /// <summary>The error for row <paramref name="rowIndex"/> of <paramref name="columnName"/>.</summary>
    /// <param name="rowIndex">The row's position.</param>
    /// <param name="columnName">The image column.</param>
    /// <param name="failure">What the image column's getter threw; null when it gave no image.</param>
    public InvalidDataException Create(long rowIndex, string columnName, Exception? failure)
    {
        string row = FormattableString.Invariant($"Row {rowIndex} of column '{columnName}'");
        List<(string Name, string Value)> values = _texts.Select(text => (text.Name, Read(text.Getter))).ToList();
        foreach ((_, string value) in values)
        {
            if (value.Length > 0 && File.Exists(value))
            {
                try
                {
                    ImageFile.Decode(value);
                }
                catch (InvalidDataException reason)
                {
                    return new InvalidDataException($"{row}: {reason.Message}", failure ?? reason);
                }
            }
        }

        string source = values.Count == 0 ? string.Empty : $" ({string.Join(", ", values.Select(v => $"{v.Name} '{v.Value}'"))})";
        string cause = failure is null ? "the image column gave no image" : $"ML.NET reported \"{failure.Message}\"";
        return new InvalidDataException(
            $"{row}{source} holds no readable image: {cause}. Check that the file exists and is a complete PNG, JPEG or BMP image.", failure);
    }

    private static string Read(ValueGetter<ReadOnlyMemory<char>> getter)
    {
        ReadOnlyMemory<char> value = default;
        getter(ref value);
        return value.ToString();
    }
}
