using System;
using System.IO;
using Microsoft.ML.Gan.Persistence;
using SkiaSharp;

namespace Microsoft.ML.Gan.Data;

/// <summary>
/// Encodes opaque BGRA pixels in memory, in the format the file extension names, and writes the file atomically
/// (<see cref="AtomicFile"/>): a full disk or a kill never leaves a 0-byte or cut-off image under the final name.
/// </summary>
/// <remarks>
/// MLImage.Save writes straight to the final path and does not report a failed write, so images are encoded here: PNG
/// with <see cref="PngEncoder"/>, JPEG and WebP with SkiaSharp, the library MLImage itself is built on.
/// </remarks>
internal static class ImageFileWriter
{
    private const int JpegQuality = 95;

    /// <summary>
    /// Writes a <paramref name="width"/> × <paramref name="height"/> image of Bgra32 pixels with alpha 255 to
    /// <paramref name="path"/>; an image whose every pixel is gray (what a 1-channel model draws) as an 8-bit grayscale
    /// file, which decodes to the same pixels at a quarter of the raw size.
    /// </summary>
    /// <exception cref="ArgumentException">The extension is not .png, .jpg, .jpeg or .webp.</exception>
    /// <exception cref="IOException">The file could not be written; any previous file there is unchanged.</exception>
    public static void Write(string path, int width, int height, byte[] bgra) => AtomicFile.WriteAllBytes(path, Encode(path, width, height, bgra));

    /// <summary>The bytes <see cref="Write"/> would write to <paramref name="path"/>, in the format its extension names.</summary>
    /// <exception cref="ArgumentException">The extension is not .png, .jpg, .jpeg or .webp.</exception>
    public static byte[] Encode(string path, int width, int height, byte[] bgra)
    {
        (SKEncodedImageFormat format, int quality) = FormatOf(path);
        byte[]? gray = GrayOrNull(bgra);
        if (format == SKEncodedImageFormat.Png)
        {
            return gray is null ? PngEncoder.EncodeBgraAsRgb(width, height, bgra) : PngEncoder.EncodeGray(width, height, gray);
        }
        var info = new SKImageInfo(width, height, gray is null ? SKColorType.Bgra8888 : SKColorType.Gray8, SKAlphaType.Opaque);
        using SKImage image = SKImage.FromPixelCopy(info, gray ?? bgra);
        using SKData data = image.Encode(format, quality)
            ?? throw new InvalidOperationException($"SkiaSharp could not encode a {width}x{height} image as {format} for '{path}'.");
        return data.ToArray();
    }

    /// <summary>Throws the <see cref="ArgumentException"/> of <see cref="Encode"/> now if <paramref name="path"/>'s extension names no format written here.</summary>
    public static void CheckFormat(string path) => FormatOf(path);

    // The gray levels when blue, green and red agree at every pixel; null as soon as one pixel has colour.
    private static byte[]? GrayOrNull(byte[] bgra)
    {
        var gray = new byte[bgra.Length / 4];
        for (int pixel = 0, offset = 0; pixel < gray.Length; pixel++, offset += 4)
        {
            byte blue = bgra[offset];
            if (bgra[offset + 1] != blue || bgra[offset + 2] != blue)
            {
                return null;
            }
            gray[pixel] = blue;
        }
        return gray;
    }

    private static (SKEncodedImageFormat Format, int Quality) FormatOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".png" => (SKEncodedImageFormat.Png, 100),
        ".jpg" or ".jpeg" => (SKEncodedImageFormat.Jpeg, JpegQuality),
        ".webp" => (SKEncodedImageFormat.Webp, 100),
        var other => throw new ArgumentException(
            $"Cannot write '{path}': the extension '{other}' names no image format this library writes; use .png, .jpg, .jpeg or .webp.", nameof(path)),
    };
}
