using System;
using Microsoft.ML.Data;

namespace Microsoft.ML.Gan.Data;

/// <summary>
/// Conversions between planar float images in [-1, 1] (what the networks see) and <see cref="MLImage"/>.
/// </summary>
/// <remarks>
/// Conventions, the same as ML.NET's image transforms:
/// colour planes are in the order R, G, B (ExtractPixels' default <c>ColorsOrder.ARGB</c> without alpha);
/// grayscale is 0.3 R + 0.59 G + 0.11 B (the matrix of ML.NET's ConvertToGrayscale);
/// a byte b maps to b / 127.5 − 1 and a float v back to round((clamp(v, −1, 1) + 1) × 127.5).
/// Images made here are Bgra32 with alpha 255 (opaque).
/// </remarks>
internal static class ImagePixels
{
    private const float GrayRed = 0.3f;
    private const float GrayGreen = 0.59f;
    private const float GrayBlue = 0.11f;

    /// <summary>Makes an opaque Bgra32 image from planar [-1, 1] floats (1 channel: gray, 3 channels: R, G, B planes).</summary>
    public static MLImage ToImage(ReadOnlySpan<float> chw, ImageShape shape)
    {
        var bgra = new byte[shape.Height * shape.Width * 4];
        ToBgra32(chw, shape, bgra);
        return MLImage.CreateFromPixels(shape.Width, shape.Height, MLPixelFormat.Bgra32, bgra);
    }

    /// <summary>Writes planar [-1, 1] floats as Bgra32 bytes with alpha 255; values are clamped and rounded.</summary>
    public static void ToBgra32(ReadOnlySpan<float> chw, ImageShape shape, Span<byte> bgra)
    {
        CheckChannels(shape.Channels);
        int plane = shape.Height * shape.Width;
        if (chw.Length != shape.PixelCount)
        {
            throw new ArgumentException(FormattableString.Invariant(
                $"{chw.Length} values were given for a {shape} image ({shape.PixelCount} values)."), nameof(chw));
        }

        if (bgra.Length != plane * 4)
        {
            throw new ArgumentException(FormattableString.Invariant(
                $"The Bgra32 buffer holds {bgra.Length} bytes; a {shape.Height}x{shape.Width} image needs {plane * 4}."), nameof(bgra));
        }

        bool color = shape.Channels == 3;
        for (int i = 0; i < plane; i++)
        {
            byte red = ToByte(chw[i]);
            byte green = color ? ToByte(chw[plane + i]) : red;
            byte blue = color ? ToByte(chw[(2 * plane) + i]) : red;
            int o = i * 4;
            bgra[o] = blue;
            bgra[o + 1] = green;
            bgra[o + 2] = red;
            bgra[o + 3] = 255;
        }
    }

    /// <summary>
    /// Reads an image as planar [-1, 1] floats: 3 channels give the R, G, B planes, 1 channel gives ML.NET's grayscale.
    /// Alpha is ignored.
    /// </summary>
    public static void ToChw(MLImage image, int channels, Span<float> destination)
    {
        CheckChannels(channels);
        int plane = image.Width * image.Height;
        if (destination.Length != channels * plane)
        {
            throw new ArgumentException(FormattableString.Invariant(
                $"The destination holds {destination.Length} values; a {channels}x{image.Height}x{image.Width} image needs {channels * plane}."), nameof(destination));
        }

        (int redOffset, int blueOffset) = ChannelOffsets(image);
        ReadOnlySpan<byte> pixels = image.Pixels;
        const float scale = 1f / 127.5f;
        for (int i = 0; i < plane; i++)
        {
            int o = i * 4;
            float red = pixels[o + redOffset];
            float green = pixels[o + 1];
            float blue = pixels[o + blueOffset];
            if (channels == 1)
            {
                destination[i] = (((GrayRed * red) + (GrayGreen * green) + (GrayBlue * blue)) * scale) - 1f;
            }
            else
            {
                destination[i] = (red * scale) - 1f;
                destination[plane + i] = (green * scale) - 1f;
                destination[(2 * plane) + i] = (blue * scale) - 1f;
            }
        }
    }

    /// <summary>Copies an image's pixels as Bgra32 bytes, setting alpha to 255 (images from ConvertToImage can have alpha 0).</summary>
    public static void CopyToOpaqueBgra32(MLImage image, Span<byte> destination)
    {
        int plane = image.Width * image.Height;
        if (destination.Length != plane * 4)
        {
            throw new ArgumentException(FormattableString.Invariant(
                $"The destination holds {destination.Length} bytes; a {image.Height}x{image.Width} image needs {plane * 4}."), nameof(destination));
        }

        (int redOffset, int blueOffset) = ChannelOffsets(image);
        ReadOnlySpan<byte> pixels = image.Pixels;
        for (int o = 0; o < plane * 4; o += 4)
        {
            destination[o] = pixels[o + blueOffset];
            destination[o + 1] = pixels[o + 1];
            destination[o + 2] = pixels[o + redOffset];
            destination[o + 3] = 255;
        }
    }

    private static (int RedOffset, int BlueOffset) ChannelOffsets(MLImage image) => image.PixelFormat switch
    {
        MLPixelFormat.Bgra32 => (2, 0),
        MLPixelFormat.Rgba32 => (0, 2),
        _ => throw new NotSupportedException($"Images in pixel format {image.PixelFormat} are not supported; expected Bgra32 or Rgba32."),
    };

    private static byte ToByte(float value)
    {
        if (float.IsNaN(value))
        {
            return 0;
        }

        float clamped = Math.Clamp(value, -1f, 1f);
        return (byte)MathF.Round((clamped + 1f) * 127.5f);
    }

    private static void CheckChannels(int channels)
    {
        if (channels != 1 && channels != 3)
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "Images have 1 (grayscale) or 3 (R, G, B) channels.");
        }
    }
}
