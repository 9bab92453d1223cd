using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Data;

namespace Microsoft.ML.Gan.Data;

/// <summary>
/// ML.NET's <c>KeyValues</c> annotation: the original values of a key column's keys, which PredictionEngine, MapKeyToValue
/// and evaluators read back. Every column this library writes with class names gets it from here.
/// </summary>
internal static class KeyValuesAnnotation
{
    /// <summary>The annotation's kind, as ML.NET names it.</summary>
    public const string Kind = "KeyValues";

    /// <summary>Adds the annotation with <paramref name="names"/> (key i + 1 is names[i]) as a text vector.</summary>
    public static void Add(DataViewSchema.Annotations.Builder builder, IReadOnlyList<string> names)
    {
        ReadOnlyMemory<char>[] values = names.Select(name => name.AsMemory()).ToArray();
        ValueGetter<VBuffer<ReadOnlyMemory<char>>> getter = (ref VBuffer<ReadOnlyMemory<char>> destination) =>
        {
            VBufferEditor<ReadOnlyMemory<char>> editor = VBufferEditor.Create(ref destination, values.Length);
            values.CopyTo(editor.Values);
            destination = editor.Commit();
        };
        builder.Add(Kind, new VectorDataViewType(TextDataViewType.Instance, values.Length), getter);
    }
}
