using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Microsoft.ML.Gan.Tests.TestData;

/// <summary>
/// <see cref="SyntheticModes"/> with the pattern index as an integer <c>Label</c>, plus degraded copies (Gaussian
/// noise, blur) for metrics that must grow with the degradation.
/// </summary>
internal static class LabelledModes
{
    public sealed class Row
    {
        public float[] Image { get; set; } = Array.Empty<float>();

        public int Label { get; set; }
    }

    /// <summary>Images in [0, 1]: pattern i % 4 plus N(0, <paramref name="noise"/>²) per pixel, then blurred by <paramref name="blur"/> (0 = none, 1 = the 3x3 box mean).</summary>
    public static List<Row> Rows(int count, int seed, float noise = 0.05f, float blur = 0)
    {
        var random = new Random(seed);
        var rows = new List<Row>(count);
        for (int i = 0; i < count; i++)
        {
            float[] pattern = SyntheticModes.Patterns[i % SyntheticModes.Patterns.Length];
            float[] noisy = pattern.Select(v => v + (noise * Gaussian(random))).ToArray();
            rows.Add(new Row { Image = Blur(noisy, blur).Select(v => Math.Clamp(v, 0f, 1f)).ToArray(), Label = i % SyntheticModes.Patterns.Length });
        }

        return rows;
    }

    public static IDataView Create(MLContext mlContext, int count, int seed, float noise = 0.05f, float blur = 0) =>
        View(mlContext, Rows(count, seed, noise, blur));

    public static IDataView View(MLContext mlContext, IEnumerable<Row> rows)
    {
        SchemaDefinition schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Image)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 1, SyntheticModes.Side, SyntheticModes.Side);
        return mlContext.Data.LoadFromEnumerable(rows, schema);
    }

    private static float[] Blur(float[] image, float strength)
    {
        if (strength == 0)
        {
            return image;
        }

        const int side = SyntheticModes.Side;
        var result = new float[image.Length];
        for (int row = 0; row < side; row++)
        {
            for (int col = 0; col < side; col++)
            {
                float sum = 0;
                int n = 0;
                for (int dr = -1; dr <= 1; dr++)
                {
                    for (int dc = -1; dc <= 1; dc++)
                    {
                        int r = row + dr, c = col + dc;
                        if (r is >= 0 and < side && c is >= 0 and < side)
                        {
                            sum += image[(r * side) + c];
                            n++;
                        }
                    }
                }

                result[(row * side) + col] = ((1 - strength) * image[(row * side) + col]) + (strength * sum / n);
            }
        }

        return result;
    }

    private static float Gaussian(Random random) =>
        (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
}
