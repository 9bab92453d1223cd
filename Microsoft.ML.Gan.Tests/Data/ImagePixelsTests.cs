using System;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Data;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Data;

[TestFixture]
public sealed class ImagePixelsTests
{
    [TestCase(1)]
    [TestCase(3)]
    public void FloatToImageToFloat_RoundTripsWithinOneByteStep(int channels)
    {
        var shape = new ImageShape(channels, 5, 7);
        var random = new Random(7);
        float[] values = Enumerable.Range(0, shape.PixelCount).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();

        using MLImage image = ImagePixels.ToImage(values, shape);
        var back = new float[shape.PixelCount];
        ImagePixels.ToChw(image, channels, back);

        Assert.That(image.Width, Is.EqualTo(7));
        Assert.That(image.Height, Is.EqualTo(5));
        Assert.That(back, Is.EqualTo(values).Within(1f / 127.5f));
    }

    [Test]
    public void ToImage_IsOpaqueBgra32()
    {
        var shape = new ImageShape(3, 2, 2);

        using MLImage image = ImagePixels.ToImage(new float[shape.PixelCount], shape);

        Assert.That(image.PixelFormat, Is.EqualTo(MLPixelFormat.Bgra32));
        byte[] pixels = image.Pixels.ToArray();
        Assert.That(Enumerable.Range(0, 4).Select(i => pixels[(i * 4) + 3]), Is.All.EqualTo(255));
    }

    [Test]
    public void ToImage_PutsTheRgbPlanesIntoBgraBytes()
    {
        // One pixel: R = 1 (255), G = -1 (0), B = 0 (127.5 rounds to 128).
        using MLImage image = ImagePixels.ToImage(new[] { 1f, -1f, 0f }, new ImageShape(3, 1, 1));

        Assert.That(image.Pixels.ToArray(), Is.EqualTo(new byte[] { 128, 0, 255, 255 }));
    }

    [Test]
    public void ToImage_ReplicatesGrayToBlueGreenRed()
    {
        using MLImage image = ImagePixels.ToImage(new[] { 0.6f }, new ImageShape(1, 1, 1));

        byte gray = (byte)MathF.Round(1.6f * 127.5f);
        Assert.That(image.Pixels.ToArray(), Is.EqualTo(new byte[] { gray, gray, gray, 255 }));
    }

    [Test]
    public void ToImage_ClampsOutOfRangeValues()
    {
        using MLImage image = ImagePixels.ToImage(new[] { 3f, -2f }, new ImageShape(1, 1, 2));

        byte[] pixels = image.Pixels.ToArray();
        Assert.That(pixels[0], Is.EqualTo(255));
        Assert.That(pixels[4], Is.EqualTo(0));
    }

    [Test]
    public void ToImage_WrongValueCount_Throws()
    {
        Assert.Throws<ArgumentException>(() => ImagePixels.ToImage(new float[5], new ImageShape(1, 2, 2)).Dispose());
    }

    [Test]
    public void CopyToOpaqueBgra32_SwapsRgbaAndSetsAlpha()
    {
        using MLImage rgba = MLImage.CreateFromPixels(1, 1, MLPixelFormat.Rgba32, new byte[] { 10, 20, 30, 0 });
        var bgra = new byte[4];

        ImagePixels.CopyToOpaqueBgra32(rgba, bgra);

        Assert.That(bgra, Is.EqualTo(new byte[] { 30, 20, 10, 255 }));
    }
}
