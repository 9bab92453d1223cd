using System;

namespace Microsoft.ML.Gan.Data;

/// <summary>
/// The raw content of an IDX images file: <see cref="Count"/> images of <see cref="Height"/> × <see cref="Width"/>
/// unsigned bytes, stored row-major one image after the other in <see cref="Pixels"/>.
/// </summary>
internal sealed class IdxImages
{
    public IdxImages(byte[] pixels, int count, int height, int width)
    {
        if ((long)count * height * width != pixels.Length)
        {
            throw new ArgumentException(FormattableString.Invariant(
                $"{count} images of {height}x{width} need {(long)count * height * width} bytes, not {pixels.Length}."), nameof(pixels));
        }

        Pixels = pixels;
        Count = count;
        Height = height;
        Width = width;
    }

    /// <summary>All pixels, image after image, each image row-major (0 = background, 255 = ink for MNIST).</summary>
    public byte[] Pixels { get; }

    public int Count { get; }

    public int Height { get; }

    public int Width { get; }

    public int PixelsPerImage => Height * Width;

    public ReadOnlySpan<byte> GetImage(int index) => Pixels.AsSpan(index * PixelsPerImage, PixelsPerImage);
}
