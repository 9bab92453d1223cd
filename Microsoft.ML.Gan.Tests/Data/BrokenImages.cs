using System;
using System.IO;
using Microsoft.ML.Data;

namespace Microsoft.ML.Gan.Tests.Data;

/// <summary>Writes the damaged image files a user meets: empty, cut short, or not an image at all under an image name.</summary>
internal static class BrokenImages
{
    /// <summary>The side of the noise images: big enough that their pixel data is most of the file.</summary>
    public const int Side = 32;

    /// <summary>A complete <see cref="Side"/> × <see cref="Side"/> image of seeded noise, in the format the extension names (.png, .jpg).</summary>
    public static string WriteNoise(string path, int seed = 1)
    {
        var random = new Random(seed);
        var bgra = new byte[Side * Side * 4];
        random.NextBytes(bgra);
        for (int i = 3; i < bgra.Length; i += 4)
        {
            bgra[i] = 255;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using MLImage image = MLImage.CreateFromPixels(Side, Side, MLPixelFormat.Bgra32, bgra);
        image.Save(path);
        return path;
    }

    /// <summary>A noise image cut to half its bytes, as an interrupted copy or download leaves it.</summary>
    public static string WriteCutInHalf(string path)
    {
        WriteNoise(path);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        return path;
    }

    /// <summary>A 0-byte file.</summary>
    public static string WriteEmpty(string path)
    {
        File.WriteAllBytes(path, Array.Empty<byte>());
        return path;
    }

    /// <summary>A text file under an image name.</summary>
    public static string WriteText(string path)
    {
        File.WriteAllText(path, "this is not a JPEG\n");
        return path;
    }
}
