using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Microsoft.ML.Gan.Tests.TestData;

/// <summary>
/// A tiny image set with four distinct 8x8 grayscale patterns plus a little noise: a generator that learned it draws
/// images near the patterns and draws all four.
/// </summary>
internal static class SyntheticModes
{
    public const int Side = 8;
    public const int PixelCount = Side * Side;

    public static readonly float[][] Patterns =
    {
        Pattern((row, col) => col < Side / 2),                       // left half bright
        Pattern((row, col) => row < Side / 2),                       // top half bright
        Pattern((row, col) => (row / 2 + col / 2) % 2 == 0),         // 2x2 checkerboard
        Pattern((row, col) => row is 0 or Side - 1 || col is 0 or Side - 1 || row == col), // frame and diagonal
    };

    /// <summary>The label of each pattern, as <see cref="CreateLabelled"/> writes it.</summary>
    public static readonly string[] Names = { "left", "top", "checker", "frame" };

    public sealed class Row
    {
        public float[] Image { get; set; } = Array.Empty<float>();
    }

    public sealed class LabelledRow
    {
        public float[] Image { get; set; } = Array.Empty<float>();

        public string Label { get; set; } = string.Empty;
    }

    /// <summary>Rows with an <c>Image</c> column of <c>Vector&lt;Single, 1, 8, 8&gt;</c> in [0, 1].</summary>
    public static IDataView Create(MLContext mlContext, int count, int seed = 7, float noise = 0.05f)
    {
        var random = new Random(seed);
        var rows = new List<Row>(count);
        for (int i = 0; i < count; i++)
        {
            float[] pattern = Patterns[i % Patterns.Length];
            rows.Add(new Row { Image = pattern.Select(v => Math.Clamp(v + noise * Gaussian(random), 0f, 1f)).ToArray() });
        }
        return mlContext.Data.LoadFromEnumerable(rows, Schema(mlContext));
    }

    /// <summary>
    /// Rows with <c>Image</c> as in <see cref="Create"/> and <c>Label</c>: the pattern's name from <see cref="Names"/>,
    /// as a key made by MapValueToKey (key i + 1 is pattern i, with KeyValues = <see cref="Names"/>).
    /// </summary>
    public static IDataView CreateLabelled(MLContext mlContext, int count, int seed = 7, float noise = 0.05f)
    {
        var random = new Random(seed);
        var rows = new List<LabelledRow>(count);
        for (int i = 0; i < count; i++)
        {
            float[] pattern = Patterns[i % Patterns.Length];
            rows.Add(new LabelledRow
            {
                Image = pattern.Select(v => Math.Clamp(v + noise * Gaussian(random), 0f, 1f)).ToArray(),
                Label = Names[i % Patterns.Length],
            });
        }
        SchemaDefinition schema = SchemaDefinition.Create(typeof(LabelledRow));
        schema[nameof(LabelledRow.Image)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 1, Side, Side);
        IDataView text = mlContext.Data.LoadFromEnumerable(rows, schema);
        return mlContext.Transforms.Conversion.MapValueToKey(nameof(LabelledRow.Label)).Fit(text).Transform(text);
    }

    public static SchemaDefinition Schema(MLContext mlContext)
    {
        SchemaDefinition schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Image)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 1, Side, Side);
        return schema;
    }

    /// <summary>Index of the nearest pattern and the Euclidean distance to it, for an image in [0, 1].</summary>
    public static (int Mode, double Distance) Nearest(ReadOnlySpan<float> image)
    {
        int best = -1;
        double bestDistance = double.MaxValue;
        for (int mode = 0; mode < Patterns.Length; mode++)
        {
            double sum = 0;
            for (int i = 0; i < PixelCount; i++)
            {
                double d = image[i] - Patterns[mode][i];
                sum += d * d;
            }
            if (sum < bestDistance)
            {
                bestDistance = sum;
                best = mode;
            }
        }
        return (best, Math.Sqrt(bestDistance));
    }

    private static float[] Pattern(Func<int, int, bool> bright)
    {
        var pixels = new float[PixelCount];
        for (int row = 0; row < Side; row++)
        {
            for (int col = 0; col < Side; col++)
            {
                pixels[row * Side + col] = bright(row, col) ? 0.9f : 0.1f;
            }
        }
        return pixels;
    }

    private static float Gaussian(Random random) =>
        (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
}
