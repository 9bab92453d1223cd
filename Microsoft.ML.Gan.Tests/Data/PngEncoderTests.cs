using System;
using Microsoft.ML.Gan.Data;
using NUnit.Framework;
using SkiaSharp;

namespace Microsoft.ML.Gan.Tests.Data;

/// <summary>The PNG files generation writes decode, in an independent decoder, to exactly the pixels written.</summary>
[TestFixture]
public sealed class PngEncoderTests
{
    [TestCase(28, 28)]
    [TestCase(1, 1)]
    [TestCase(7, 3)]
    [TestCase(300, 2)]
    public void GrayFileDecodesToTheSameGrayLevelsAsAGrayImage(int width, int height)
    {
        byte[] gray = RandomBytes(width * height, seed: width);
        using SKBitmap decoded = SKBitmap.Decode(PngEncoder.EncodeGray(width, height, gray));

        Assert.That(decoded.ColorType, Is.EqualTo(SKColorType.Gray8), "a grayscale file, a quarter of the raw size of colour");
        Assert.That((decoded.Width, decoded.Height), Is.EqualTo((width, height)));
        for (int i = 0; i < gray.Length; i++)
        {
            Assert.That(decoded.GetPixel(i % width, i / width).Red, Is.EqualTo(gray[i]), $"pixel {i}");
        }
    }

    [TestCase(64, 64)]
    [TestCase(1, 1)]
    [TestCase(5, 9)]
    public void ColourFileDecodesToTheSameRedGreenAndBlue(int width, int height)
    {
        byte[] bgra = RandomBytes(width * height * 4, seed: 100 + width);
        using SKBitmap decoded = SKBitmap.Decode(PngEncoder.EncodeBgraAsRgb(width, height, bgra));

        Assert.That((decoded.Width, decoded.Height), Is.EqualTo((width, height)));
        for (int i = 0; i < width * height; i++)
        {
            SKColor colour = decoded.GetPixel(i % width, i / width);
            Assert.That((colour.Blue, colour.Green, colour.Red, colour.Alpha), Is.EqualTo((bgra[4 * i], bgra[4 * i + 1], bgra[4 * i + 2], (byte)255)), $"pixel {i}");
        }
    }

    [Test]
    public void PixelCountThatDoesNotMatchTheSizeIsRefused()
    {
        Assert.That(() => PngEncoder.EncodeGray(28, 28, new byte[28 * 27]),
            Throws.ArgumentException.With.Message.Contains("756 bytes cannot be a 28x28 image"));
        Assert.That(() => PngEncoder.EncodeBgraAsRgb(2, 2, new byte[12]), Throws.ArgumentException);
    }

    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
