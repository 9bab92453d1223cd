using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Tests.TestSupport;
using Microsoft.ML.Transforms.Image;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Data;

[TestFixture]
public sealed class GanImagesTests
{
    private const int Width = 4;
    private const int Height = 3;

    private readonly List<MLImage> _images = new();
    private string _folder = null!;

    [SetUp]
    public void SetUp()
    {
        _folder = Path.Combine(Path.GetTempPath(), "gan-images-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void TearDown()
    {
        foreach (MLImage image in _images)
        {
            image.Dispose();
        }

        _images.Clear();
        Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public void SaveGrid_SizeIsColumnsTimesImagePlusPadding()
    {
        string path = Path.Combine(_folder, "grid.png");

        GanImages.SaveGrid(Enumerable.Range(0, 5).Select(Numbered), path, columns: 3, padding: 2);

        using MLImage grid = MLImage.CreateFromFile(path);
        Assert.That(grid.Width, Is.EqualTo((3 * Width) + (4 * 2)));
        Assert.That(grid.Height, Is.EqualTo((2 * Height) + (3 * 2)));
    }

    [Test]
    public void SaveGrid_FewerImagesThanColumns_IsOneRowOfThatManyImages()
    {
        string path = Path.Combine(_folder, "grid.png");

        GanImages.SaveGrid(Enumerable.Range(0, 2).Select(Numbered), path, columns: 8, padding: 1);

        using MLImage grid = MLImage.CreateFromFile(path);
        Assert.That(grid.Width, Is.EqualTo((2 * Width) + 3));
        Assert.That(grid.Height, Is.EqualTo(Height + 2));
    }

    [Test]
    public void SaveGrid_EveryPixelOfEveryImageLandsAtItsPlace_PaddingIsOpaqueDarkGray()
    {
        string path = Path.Combine(_folder, "sub/dir/grid.png");
        const int columns = 2;
        const int padding = 1;

        GanImages.SaveGrid(Enumerable.Range(0, 3).Select(Numbered), path, columns, padding);

        using MLImage grid = MLImage.CreateFromFile(path);
        for (int i = 0; i < 3; i++)
        {
            int left = padding + ((i % columns) * (Width + padding));
            int top = padding + ((i / columns) * (Height + padding));
            for (int y = 0; y < Height; y++)
            {
                for (int x = 0; x < Width; x++)
                {
                    Assert.That(Rgba(grid, left + x, top + y), Is.EqualTo(NumberedColor(i, x, y)), $"image {i}, pixel ({x}, {y})");
                }
            }
        }

        Assert.That(Rgba(grid, 0, 0), Is.EqualTo((64, 64, 64, 255)), "padding");
        Assert.That(Rgba(grid, padding + Width, padding), Is.EqualTo((64, 64, 64, 255)), "padding between images");
        Assert.That(Rgba(grid, padding + Width + padding, padding + Height + padding), Is.EqualTo((64, 64, 64, 255)), "the empty fourth place");
    }

    [Test]
    public void SaveGrid_ImagesOfDifferentSizes_MessageNamesBothSizes()
    {
        MLImage small = Numbered(0);
        MLImage large = Track(MLImage.CreateFromPixels(5, 6, MLPixelFormat.Bgra32, new byte[5 * 6 * 4]));

        var error = Assert.Throws<ArgumentException>(() => GanImages.SaveGrid(new[] { small, large }, Path.Combine(_folder, "grid.png")));

        Assert.That(error!.Message, Does.Contain("Image 1").And.Contain("5x6").And.Contain("4x3").And.Contain("same size"));
    }

    [Test]
    public void SaveGrid_NoImages_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => GanImages.SaveGrid(Array.Empty<MLImage>(), Path.Combine(_folder, "grid.png")));

        Assert.That(error!.Message, Does.Contain("no images"));
        Assert.That(File.Exists(Path.Combine(_folder, "grid.png")), Is.False);
    }

    [Test]
    public void SavePngs_WritesOneReadableOpaquePngPerRow()
    {
        // Transparent sources (alpha 0, as ConvertToImage makes them) come out opaque.
        IDataView data = ImageData(Enumerable.Range(0, 3).Select(i => Numbered(i, alpha: 0)).ToArray());
        string folder = Path.Combine(_folder, "pngs");

        IReadOnlyList<string> paths = GanImages.SavePngs(data, folder);

        Assert.That(paths.Select(Path.GetFileName), Is.EqualTo(new[] { "image_00000.png", "image_00001.png", "image_00002.png" }));
        for (int i = 0; i < 3; i++)
        {
            Assert.That(Path.GetDirectoryName(paths[i]), Is.EqualTo(folder));
            using MLImage image = MLImage.CreateFromFile(paths[i]);
            Assert.That((image.Width, image.Height), Is.EqualTo((Width, Height)));
            Assert.That(Rgba(image, 3, 2), Is.EqualTo(NumberedColor(i, 3, 2)));
        }
    }

    [Test]
    public void SavePngs_FullDisk_FailsNamingTheFileAndLeavesOnlyWholeImages()
    {
        using MountedTmpfs disk = MountedTmpfs.Mount("size=64k");
        disk.FillLeaving(16 * 1024);
        IDataView data = ImageData(Enumerable.Range(0, 12).Select(Numbered).ToArray());

        var error = Assert.Throws<IOException>(() => GanImages.SavePngs(data, disk.Path));

        Assert.That(error!.Message, Does.Contain("Could not write '").And.Contain(disk.Path).And.Contain("No space left on device"));
        string[] written = Directory.GetFiles(disk.Path, "*.png");
        Assert.That(written, Is.Not.Empty.And.Length.LessThan(12));
        Assert.That(Directory.GetFiles(disk.Path).Select(Path.GetFileName).Where(name => name!.StartsWith('.')), Is.Empty, "no temporary file is left");
        foreach (string path in written)
        {
            using MLImage image = MLImage.CreateFromFile(path);
            int index = int.Parse(Path.GetFileNameWithoutExtension(path)["image_".Length..]);
            Assert.That(Rgba(image, 3, 2), Is.EqualTo(NumberedColor(index, 3, 2)), path);
        }
    }

    [Test]
    public void SaveGrid_UnknownExtension_NamesTheFormatsItWrites()
    {
        var error = Assert.Throws<ArgumentException>(() => GanImages.SaveGrid(new[] { Numbered(0) }, Path.Combine(_folder, "grid.tiff")));

        Assert.That(error!.Message, Does.Contain("'.tiff'").And.Contain(".png, .jpg, .jpeg or .webp"));
        Assert.That(Directory.GetFiles(_folder), Is.Empty);
    }

    [Test]
    public void SaveGrid_Jpeg_IsAJpegFile()
    {
        string path = Path.Combine(_folder, "grid.jpg");
        GanImages.SaveGrid(new[] { Numbered(0) }, path);
        Assert.That(File.ReadAllBytes(path).Take(3), Is.EqualTo(new byte[] { 0xFF, 0xD8, 0xFF }));
    }

    [Test]
    public void SavePngs_GrayImagesAre8BitGrayscaleFilesAndColourImagesStayColour()
    {
        var gray = new byte[Width * Height * 4];
        for (int i = 0; i < Width * Height; i++)
        {
            gray[4 * i] = gray[(4 * i) + 1] = gray[(4 * i) + 2] = (byte)(20 * i);
            gray[(4 * i) + 3] = 255;
        }
        IDataView data = ImageData(Track(MLImage.CreateFromPixels(Width, Height, MLPixelFormat.Bgra32, gray)), Numbered(1));

        IReadOnlyList<string> paths = GanImages.SavePngs(data, _folder);

        // PNG's IHDR: bit depth at byte 24, colour type at byte 25 (0 gray, 2 RGB, 6 RGBA).
        byte[] grayFile = File.ReadAllBytes(paths[0]), colourFile = File.ReadAllBytes(paths[1]);
        Assert.That((grayFile[24], grayFile[25]), Is.EqualTo(((byte)8, (byte)0)));
        Assert.That(colourFile[25], Is.Not.Zero);
        using MLImage decoded = MLImage.CreateFromFile(paths[0]);
        for (int i = 0; i < Width * Height; i++)
        {
            Assert.That(Rgba(decoded, i % Width, i / Width), Is.EqualTo((20 * i, 20 * i, 20 * i, 255)), $"pixel {i}");
        }
    }

    [Test]
    public void SavePngs_UsesTheGivenColumnAndPrefix()
    {
        IDataView data = ImageData(Numbered(0));

        IReadOnlyList<string> paths = GanImages.SavePngs(data, _folder, imageColumnName: "Image", filePrefix: "sample");

        Assert.That(paths.Select(Path.GetFileName), Is.EqualTo(new[] { "sample_00000.png" }));
        Assert.That(File.Exists(paths[0]), Is.True);
    }

    [Test]
    public void SavePngs_MissingColumn_MessageNamesIt()
    {
        IDataView data = ImageData(Numbered(0));

        var error = Assert.Throws<ArgumentException>(() => GanImages.SavePngs(data, _folder, imageColumnName: "Generated"));

        Assert.That(error!.Message, Does.Contain("'Generated'").And.Contain("not found").And.Contain("'Image'"));
    }

    [Test]
    public void SavePngs_NotAnImageColumn_MessageNamesTheColumnAndType()
    {
        IDataView data = new MLContext().Data.LoadFromEnumerable(new[] { new TextRow { Image = "x" } });

        var error = Assert.Throws<ArgumentException>(() => GanImages.SavePngs(data, _folder));

        Assert.That(error!.Message, Does.Contain("'Image'").And.Contain("String").And.Contain("image column"));
    }

    [Test]
    public void SaveGridFromDataView_TakesAtMostMaxImages()
    {
        IDataView data = ImageData(Enumerable.Range(0, 5).Select(i => Numbered(i)).ToArray());
        string path = Path.Combine(_folder, "grid.png");

        GanImages.SaveGrid(data, path, columns: 8, maxImages: 3);

        using MLImage grid = MLImage.CreateFromFile(path);
        Assert.That(grid.Width, Is.EqualTo((3 * Width) + (4 * 2)));
        Assert.That(Rgba(grid, 2 + (2 * (Width + 2)), 2), Is.EqualTo(NumberedColor(2, 0, 0)));
    }

    /// <summary>Image i: red = 20 i + x, green = 10 y + 1, blue = 200 (every pixel of every image distinct).</summary>
    private MLImage Numbered(int index) => Numbered(index, alpha: 255);

    private MLImage Numbered(int index, byte alpha)
    {
        var bgra = new byte[Width * Height * 4];
        for (int y = 0; y < Height; y++)
        {
            for (int x = 0; x < Width; x++)
            {
                (int r, int g, int b, _) = NumberedColor(index, x, y);
                int o = ((y * Width) + x) * 4;
                (bgra[o], bgra[o + 1], bgra[o + 2], bgra[o + 3]) = ((byte)b, (byte)g, (byte)r, alpha);
            }
        }

        return Track(MLImage.CreateFromPixels(Width, Height, MLPixelFormat.Bgra32, bgra));
    }

    private static (int R, int G, int B, int A) NumberedColor(int index, int x, int y) => ((20 * index) + x, (10 * y) + 1, 200, 255);

    private static (int R, int G, int B, int A) Rgba(MLImage image, int x, int y)
    {
        ReadOnlySpan<byte> p = image.Pixels.Slice(((y * image.Width) + x) * 4, 4);
        return image.PixelFormat == MLPixelFormat.Bgra32 ? (p[2], p[1], p[0], p[3]) : (p[0], p[1], p[2], p[3]);
    }

    private MLImage Track(MLImage image)
    {
        _images.Add(image);
        return image;
    }

    private static IDataView ImageData(params MLImage[] images)
    {
        // LoadFromEnumerable serves MLImage members whose image type is registered, which [ImageType] does.
        return new MLContext(seed: 1).Data.LoadFromEnumerable(images.Select(i => new ImageRow { Image = i }).ToArray());
    }

    private sealed class ImageRow
    {
        [ImageType(Height, Width)]
        public MLImage? Image { get; set; }
    }

    private sealed class TextRow
    {
        public string Image { get; set; } = string.Empty;
    }
}
