using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Microsoft.ML.Gan.Tests.TestData;

/// <summary>
/// <see cref="SyntheticModes"/>' four patterns drawn at 16×16 (each pixel a 2×2 block) plus a little noise: the smallest
/// images the ResNet architecture builds, with the pattern's name as a key <c>Label</c>.
/// </summary>
internal static class UpscaledModes
{
    public const int Side = 2 * SyntheticModes.Side;

    public sealed class Row
    {
        public float[] Image { get; set; } = Array.Empty<float>();

        public string Label { get; set; } = string.Empty;
    }

    /// <summary>Rows with <c>Image</c> (<c>Vector&lt;Single, 1, 16, 16&gt;</c> in [0, 1]) and <c>Label</c> (a key of the pattern names).</summary>
    public static IDataView Create(MLContext mlContext, int count, int seed = 7) => View(mlContext, Rows(count, seed), Side);

    /// <summary>
    /// <paramref name="rows"/> as a view whose <c>Image</c> column says <paramref name="side"/> × <paramref name="side"/>;
    /// the rows are enumerated only when the view is read.
    /// </summary>
    public static IDataView View(MLContext mlContext, IEnumerable<Row> rows, int side)
    {
        SchemaDefinition schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Image)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 1, side, side);
        IDataView text = mlContext.Data.LoadFromEnumerable(rows, schema);
        var labels = SyntheticModes.Names.Select(name => new Row { Label = name, Image = new float[side * side] });
        return mlContext.Transforms.Conversion.MapValueToKey(nameof(Row.Label)).Fit(mlContext.Data.LoadFromEnumerable(labels, schema)).Transform(text);
    }

    private static IEnumerable<Row> Rows(int count, int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            float[] pattern = SyntheticModes.Patterns[i % SyntheticModes.Patterns.Length];
            var image = new float[Side * Side];
            for (int row = 0; row < Side; row++)
            {
                for (int col = 0; col < Side; col++)
                {
                    float noise = 0.05f * (float)(random.NextDouble() - 0.5);
                    image[(row * Side) + col] = Math.Clamp(pattern[(row / 2 * SyntheticModes.Side) + (col / 2)] + noise, 0f, 1f);
                }
            }
            yield return new Row { Image = image, Label = SyntheticModes.Names[i % SyntheticModes.Names.Length] };
        }
    }
}
