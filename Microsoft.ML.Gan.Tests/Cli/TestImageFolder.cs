using System;
using System.IO;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Tests.TestData;

namespace Microsoft.ML.Gan.Tests.Cli;

/// <summary>Writes small PNG files of <see cref="SyntheticModes"/>' patterns, for training from a folder of images.</summary>
internal static class TestImageFolder
{
    /// <summary>
    /// Writes <paramref name="count"/> PNGs of <paramref name="width"/> × <paramref name="height"/>: pattern i mod 4,
    /// scaled by nearest neighbour, white on a red background so that colour and grayscale differ. Every second file goes
    /// into the subfolder <c>nested</c>, so that the recursive search is exercised.
    /// </summary>
    /// <returns>The paths written.</returns>
    public static string[] Write(string folder, int count, int width = SyntheticModes.Side, int height = SyntheticModes.Side)
    {
        var paths = new string[count];
        for (int i = 0; i < count; i++)
        {
            float[] pattern = SyntheticModes.Patterns[i % SyntheticModes.Patterns.Length];
            var bgra = new byte[width * height * 4];
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    float value = pattern[(y * SyntheticModes.Side / height * SyntheticModes.Side) + (x * SyntheticModes.Side / width)];
                    byte level = (byte)Math.Round(value * 255);
                    int o = ((y * width) + x) * 4;
                    (bgra[o], bgra[o + 1], bgra[o + 2], bgra[o + 3]) = (level, level, 255, 255);
                }
            }
            string directory = i % 2 == 0 ? folder : Path.Combine(folder, "nested");
            Directory.CreateDirectory(directory);
            paths[i] = Path.Combine(directory, FormattableString.Invariant($"pattern_{i:D3}.png"));
            using MLImage image = MLImage.CreateFromPixels(width, height, MLPixelFormat.Bgra32, bgra);
            image.Save(paths[i]);
        }
        return paths;
    }
}
