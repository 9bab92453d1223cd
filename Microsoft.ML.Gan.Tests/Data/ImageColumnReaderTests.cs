using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Data;
using Microsoft.ML.Transforms.Image;
using NUnit.Framework;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Tests.Data;

[TestFixture]
public sealed class ImageColumnReaderTests
{
    private readonly List<MLImage> _images = new();

    [TearDown]
    public void TearDown()
    {
        foreach (MLImage image in _images)
        {
            image.Dispose();
        }

        _images.Clear();
    }

    [Test]
    public void VectorColumnWithChwDimensions_UnitRange_ReadsNchwScaledToMinusOneOne()
    {
        float[][] rows = { new[] { 0f, 0.5f, 1f, 0.25f, 0.75f, 0.1f }, new[] { 1f, 1f, 0f, 0f, 0.5f, 0.5f } };
        IDataView data = VectorData(rows, 1, 2, 3);

        ImageColumnReader reader = ImageColumnReader.Create(data.Schema, "Image", grayscale: false);
        using Tensor tensor = reader.ReadAll(data);

        Assert.That(reader.Shape, Is.EqualTo(new ImageShape(1, 2, 3)));
        Assert.That(tensor.shape, Is.EqualTo(new long[] { 2, 1, 2, 3 }));
        Assert.That(tensor.dtype, Is.EqualTo(ScalarType.Float32));
        Assert.That(reader.InputScale, Is.EqualTo(1f));
        Assert.That(tensor.data<float>().ToArray(), Is.EqualTo(rows.SelectMany(r => r).Select(v => (2 * v) - 1)).Within(1e-6f));
    }

    [Test]
    public void VectorColumn_ByteRange_UsesScale255()
    {
        float[][] rows = { new[] { 0f, 127.5f, 255f, 51f } };
        IDataView data = VectorData(rows, 1, 2, 2);

        ImageColumnReader reader = ImageColumnReader.Create(data.Schema, "Image", grayscale: false);
        using Tensor tensor = reader.ReadAll(data);

        Assert.That(reader.InputScale, Is.EqualTo(255f));
        Assert.That(tensor.data<float>().ToArray(), Is.EqualTo(new[] { -1f, 0f, 1f, -0.6f }).Within(1e-5f));
    }

    [Test]
    public void VectorColumnWithHwDimensions_IsOneChannel()
    {
        IDataView data = VectorData(new[] { new[] { 0f, 1f, 1f, 0f } }, 2, 2);

        ImageColumnReader reader = ImageColumnReader.Create(data.Schema, "Image", grayscale: false);

        Assert.That(reader.Shape, Is.EqualTo(new ImageShape(1, 2, 2)));
    }

    [Test]
    public void VectorColumnWithThreeChannels_KeepsThePlanarOrder()
    {
        float[] row = { 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120 };
        IDataView data = VectorData(new[] { row }, 3, 2, 2);

        ImageColumnReader reader = ImageColumnReader.Create(data.Schema, "Image", grayscale: true);
        using Tensor tensor = reader.ReadAll(data);

        Assert.That(reader.Shape, Is.EqualTo(new ImageShape(3, 2, 2)), "vectors take their channels from their dimensions");
        Assert.That(tensor[0, 1, 0, 1].item<float>(), Is.EqualTo((60f / 127.5f) - 1f).Within(1e-6f));
    }

    [Test]
    public void ColorImageColumn_ReadsRgbPlanesWhateverThePixelFormat()
    {
        // 2x1 image: pixel 0 = (R 255, G 0, B 51), pixel 1 = (R 0, G 102, B 255).
        MLImage bgra = Image(MLPixelFormat.Bgra32, 2, 1, 51, 0, 255, 255, 255, 102, 0, 255);
        MLImage rgba = Image(MLPixelFormat.Rgba32, 2, 1, 255, 0, 51, 255, 0, 102, 255, 255);
        IDataView data = ImageData(new ImageDataViewType(1, 2), bgra, rgba);

        ImageColumnReader reader = ImageColumnReader.Create(data.Schema, "Image", grayscale: false);
        using Tensor tensor = reader.ReadAll(data);

        Assert.That(reader.Shape, Is.EqualTo(new ImageShape(3, 1, 2)));
        Assert.That(reader.InputScale, Is.EqualTo(255f));
        float[] expected = new[] { 255f, 0f, 0f, 102f, 51f, 255f }.Select(v => (v / 127.5f) - 1f).ToArray();
        float[] values = tensor.data<float>().ToArray();
        Assert.That(values.Take(6), Is.EqualTo(expected).Within(1e-6f), "R plane, G plane, B plane");
        Assert.That(values.Skip(6), Is.EqualTo(expected).Within(1e-6f), "Rgba32 reads like Bgra32");
    }

    [Test]
    public void GrayscaleImageColumn_UsesMlNetLuminanceWeights()
    {
        // Pure red, pure green, pure blue, white.
        MLImage image = Image(MLPixelFormat.Bgra32, 4, 1, 0, 0, 255, 255, 0, 255, 0, 255, 255, 0, 0, 255, 255, 255, 255, 255);
        IDataView data = ImageData(new ImageDataViewType(1, 4), image);

        ImageColumnReader reader = ImageColumnReader.Create(data.Schema, "Image", grayscale: true);
        using Tensor tensor = reader.ReadAll(data);

        Assert.That(reader.Shape, Is.EqualTo(new ImageShape(1, 1, 4)));
        float[] expected = new[] { 0.3f, 0.59f, 0.11f, 1f }.Select(w => (2 * w) - 1).ToArray();
        Assert.That(tensor.data<float>().ToArray(), Is.EqualTo(expected).Within(1e-5f));
    }

    [Test]
    public void ImageColumnWithoutSizeInSchema_LearnsTheShapeFromTheFirstRow()
    {
        IDataView data = ImageData(new ImageDataViewType(), Solid(3, 2, 10), Solid(3, 2, 20));

        ImageColumnReader reader = ImageColumnReader.Create(data.Schema, "Image", grayscale: true);
        Assert.That(() => reader.Shape, Throws.InvalidOperationException);
        using Tensor tensor = reader.ReadAll(data);

        Assert.That(reader.Shape, Is.EqualTo(new ImageShape(1, 2, 3)));
        Assert.That(tensor.shape, Is.EqualTo(new long[] { 2, 1, 2, 3 }));
    }

    [Test]
    public void ManyRows_AreReadAcrossChunksInOrder()
    {
        // More rows than one read chunk (1024), so the chunk joining is exercised.
        float[][] rows = Enumerable.Range(0, 2500).Select(i => new[] { (i % 256) / 255f, 1f }).ToArray();
        IDataView data = VectorData(rows, 1, 1, 2);

        using Tensor tensor = ImageColumnReader.Create(data.Schema, "Image", grayscale: false).ReadAll(data);

        Assert.That(tensor.shape, Is.EqualTo(new long[] { 2500, 1, 1, 2 }));
        float[] values = tensor.data<float>().ToArray();
        Assert.That(values.Where((_, i) => i % 2 == 0), Is.EqualTo(rows.Select(r => (2 * r[0]) - 1)).Within(1e-5f));
    }

    [Test]
    public void IdxData_ReadsAs1x28x28InUnitScale()
    {
        string images = Path.Combine(TestContext.CurrentContext.TestDirectory, "fashion-mnist", "t10k-images-idx3-ubyte.gz");
        var mlContext = new MLContext(seed: 1);
        IDataView data = mlContext.Data.TakeRows(mlContext.Data.LoadFromIdxFile(images), 100);

        ImageColumnReader reader = ImageColumnReader.Create(data.Schema, "Image", grayscale: true);
        using Tensor tensor = reader.ReadAll(data);

        Assert.That(tensor.shape, Is.EqualTo(new long[] { 100, 1, 28, 28 }));
        Assert.That(reader.InputScale, Is.EqualTo(1f));
        Assert.That(tensor.min().item<float>(), Is.EqualTo(-1f));
        Assert.That(tensor.max().item<float>(), Is.EqualTo(1f));
    }

    [Test]
    public void RowReader_AppliesTheTrainingTimeScale()
    {
        IDataView data = VectorData(new[] { new[] { 0f, 255f, 51f, 102f } }, 1, 2, 2);
        ImageColumnReader reader = ImageColumnReader.Create(data.Schema, "Image", grayscale: false, new ImageShape(1, 2, 2), inputScale: 255f);

        float[] values = ReadFirstRow(reader, data, 4);

        Assert.That(values, Is.EqualTo(new[] { -1f, 1f, -0.6f, -0.2f }).Within(1e-5f));
    }

    [Test]
    public void RowReader_MatchesReadAllForImages()
    {
        MLImage image = Image(MLPixelFormat.Bgra32, 2, 1, 51, 0, 255, 255, 255, 102, 0, 255);
        IDataView data = ImageData(new ImageDataViewType(1, 2), image);
        ImageColumnReader training = ImageColumnReader.Create(data.Schema, "Image", grayscale: false);
        using Tensor all = training.ReadAll(data);

        ImageColumnReader inference = ImageColumnReader.Create(data.Schema, "Image", grayscale: false, training.Shape, training.InputScale);
        float[] values = ReadFirstRow(inference, data, 6);

        Assert.That(values, Is.EqualTo(all.data<float>().ToArray()).Within(1e-6f));
    }

    [Test]
    public void MissingColumn_MessageNamesTheColumnAndTheAvailableOnes()
    {
        IDataView data = VectorData(new[] { new[] { 0f } }, 1, 1, 1);

        var error = Assert.Throws<ArgumentException>(() => ImageColumnReader.Create(data.Schema, "Pixels", grayscale: false));

        Assert.That(error!.Message, Does.Contain("'Pixels'").And.Contain("not found").And.Contain("'Image'"));
    }

    [Test]
    public void StringColumn_MessageNamesTheColumnTheExpectedAndTheActualType()
    {
        IDataView data = new MLContext().Data.LoadFromEnumerable(new[] { new TextRow { Image = "cat.png" } });

        var error = Assert.Throws<ArgumentException>(() => ImageColumnReader.Create(data.Schema, "Image", grayscale: false));

        Assert.That(error!.Message, Does.Contain("'Image'").And.Contain("String").And.Contain("MLImage").And.Contain("Single vector"));
    }

    [Test]
    public void VectorWithKnownSizeButNoDimensions_IsRejected()
    {
        IDataView data = VectorData(new[] { new float[16] }, 16);

        var error = Assert.Throws<ArgumentException>(() => ImageColumnReader.Create(data.Schema, "Image", grayscale: false));
        Assert.That(error!.Message, Does.Contain("'Image'").And.Contain("without image dimensions").And.Contain("Vector<Single, 16>"));
    }

    [Test]
    public void VariableSizeVector_IsRejected()
    {
        var rows = new[] { new VariableRow { Image = new float[4] }, new VariableRow { Image = new float[5] } };
        IDataView data = new MLContext().Data.LoadFromEnumerable(rows);

        var error = Assert.Throws<ArgumentException>(() => ImageColumnReader.Create(data.Schema, "Image", grayscale: false));
        Assert.That(error!.Message, Does.Contain("'Image'").And.Contain("without image dimensions"));
    }

    [Test]
    public void VectorWithFourChannels_IsRejected()
    {
        IDataView data = VectorData(new[] { new float[4] }, 4, 1, 1);

        var error = Assert.Throws<ArgumentException>(() => ImageColumnReader.Create(data.Schema, "Image", grayscale: false));

        Assert.That(error!.Message, Does.Contain("'Image'").And.Contain("1 (grayscale) or 3").And.Contain("not 4"));
    }

    [Test]
    public void ImagesOfDifferentSizes_MessageNamesTheRowTheFirstSizeAndTheOffendingSize()
    {
        IDataView data = ImageData(new ImageDataViewType(), Solid(3, 2, 0), Solid(3, 2, 0), Solid(5, 4, 0));
        ImageColumnReader reader = ImageColumnReader.Create(data.Schema, "Image", grayscale: false);

        var error = Assert.Throws<InvalidOperationException>(() => reader.ReadAll(data).Dispose());

        Assert.That(error!.Message, Does.Contain("Row 2").And.Contain("4x5").And.Contain("2x3").And.Contain("same size"));
        Assert.That(() => reader.Shape, Throws.InvalidOperationException, "a failed read does not fix the shape");
    }

    [Test]
    public void ExpectedShapeDifferentFromTheSchema_MessageNamesExpectedAndActual()
    {
        IDataView data = VectorData(new[] { new float[4] }, 1, 2, 2);

        var error = Assert.Throws<ArgumentException>(() => ImageColumnReader.Create(data.Schema, "Image", grayscale: false, expectedShape: new ImageShape(1, 28, 28)));

        Assert.That(error!.Message, Does.Contain("'Image'").And.Contain("1x2x2").And.Contain("1x28x28"));
    }

    [Test]
    public void ExpectedShapeDifferentFromAnImageRow_MessageNamesExpectedAndActual()
    {
        IDataView data = ImageData(new ImageDataViewType(), Solid(3, 2, 0));
        ImageColumnReader reader = ImageColumnReader.Create(data.Schema, "Image", grayscale: true, expectedShape: new ImageShape(1, 28, 28));

        var error = Assert.Throws<InvalidOperationException>(() => ReadFirstRow(reader, data, 28 * 28));

        Assert.That(error!.Message, Does.Contain("2x3").And.Contain("28x28"));
    }

    [Test]
    public void EmptyData_ThrowsHasNoRows()
    {
        IDataView data = VectorData(Array.Empty<float[]>(), 1, 2, 2);
        ImageColumnReader reader = ImageColumnReader.Create(data.Schema, "Image", grayscale: false);

        var error = Assert.Throws<InvalidOperationException>(() => reader.ReadAll(data).Dispose());

        Assert.That(error!.Message, Does.Contain("no rows").And.Contain("'Image'"));
    }

    [Test]
    public void ValuesAbove255_MessageNamesTheColumnAndTheMaximum()
    {
        IDataView data = VectorData(new[] { new[] { 0f, 1f }, new[] { 300f, 2f } }, 1, 1, 2);
        ImageColumnReader reader = ImageColumnReader.Create(data.Schema, "Image", grayscale: false);

        var error = Assert.Throws<InvalidOperationException>(() => reader.ReadAll(data).Dispose());

        Assert.That(error!.Message, Does.Contain("'Image'").And.Contain("300").And.Contain("row 1").And.Contain("[0, 255]"));
    }

    [Test]
    public void NegativeValues_AreRejected()
    {
        IDataView data = VectorData(new[] { new[] { 0.5f, -0.5f } }, 1, 1, 2);
        ImageColumnReader reader = ImageColumnReader.Create(data.Schema, "Image", grayscale: false);

        var error = Assert.Throws<InvalidOperationException>(() => reader.ReadAll(data).Dispose());

        Assert.That(error!.Message, Does.Contain("'Image'").And.Contain("-0.5"));
    }

    [Test]
    public void NaNValues_AreRejected()
    {
        IDataView data = VectorData(new[] { new[] { 0.5f, float.NaN } }, 1, 1, 2);
        ImageColumnReader reader = ImageColumnReader.Create(data.Schema, "Image", grayscale: false);

        var error = Assert.Throws<InvalidOperationException>(() => reader.ReadAll(data).Dispose());

        Assert.That(error!.Message, Does.Contain("'Image'").And.Contain("NaN"));
    }

    [Test]
    public void KnownUnitScale_RejectsByteRangeData()
    {
        IDataView data = VectorData(new[] { new[] { 0f, 200f } }, 1, 1, 2);
        ImageColumnReader reader = ImageColumnReader.Create(data.Schema, "Image", grayscale: false, inputScale: 1f);

        var readAll = Assert.Throws<InvalidOperationException>(() => reader.ReadAll(data).Dispose());
        var readRow = Assert.Throws<InvalidOperationException>(() => ReadFirstRow(reader, data, 2));

        Assert.That(readAll!.Message, Does.Contain("200").And.Contain("[0, 1]"));
        Assert.That(readRow!.Message, Does.Contain("200").And.Contain("[0, 1]"));
    }

    [Test]
    public void InvalidInputScale_IsRejected()
    {
        IDataView data = VectorData(new[] { new[] { 0f } }, 1, 1, 1);

        Assert.Throws<ArgumentOutOfRangeException>(() => ImageColumnReader.Create(data.Schema, "Image", grayscale: false, inputScale: 2f));
    }

    [Test]
    public void FloatScaleUnknownBeforeReading_RowReaderExplains()
    {
        IDataView data = VectorData(new[] { new[] { 0f } }, 1, 1, 1);
        ImageColumnReader reader = ImageColumnReader.Create(data.Schema, "Image", grayscale: false);
        using DataViewRowCursor cursor = data.GetRowCursor(data.Schema);

        var error = Assert.Throws<InvalidOperationException>(() => reader.CreateRowReader(cursor));

        Assert.That(error!.Message, Does.Contain("'Image'").And.Contain("input scale"));
    }

    private static float[] ReadFirstRow(ImageColumnReader reader, IDataView data, int length)
    {
        using DataViewRowCursor cursor = data.GetRowCursor(data.Schema);
        Action<Span<float>> read = reader.CreateRowReader(cursor);
        Assert.That(cursor.MoveNext(), Is.True);
        var values = new float[length];
        read(values);
        return values;
    }

    private static IDataView VectorData(float[][] rows, params int[] dimensions)
    {
        var mlContext = new MLContext(seed: 1);
        SchemaDefinition schema = SchemaDefinition.Create(typeof(VariableRow));
        schema["Image"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dimensions);
        return mlContext.Data.LoadFromEnumerable(rows.Select(r => new VariableRow { Image = r }).ToArray(), schema);
    }

    private IDataView ImageData(ImageDataViewType type, params MLImage[] images)
    {
        // LoadFromEnumerable serves an MLImage member only for image types registered with DataViewTypeManager
        // (what [ImageType(h, w)] does); register the one this test uses.
        DataViewTypeManager.Register(type, typeof(MLImage), type.Height > 0 ? new ImageTypeAttribute(type.Height, type.Width) : new ImageTypeAttribute());
        SchemaDefinition schema = SchemaDefinition.Create(typeof(ImageRow));
        schema["Image"].ColumnType = type;
        return new MLContext(seed: 1).Data.LoadFromEnumerable(images.Select(i => new ImageRow { Image = i }).ToArray(), schema);
    }

    private MLImage Image(MLPixelFormat format, int width, int height, params byte[] pixels)
    {
        MLImage image = MLImage.CreateFromPixels(width, height, format, pixels);
        _images.Add(image);
        return image;
    }

    private MLImage Solid(int width, int height, byte value)
        => Image(MLPixelFormat.Bgra32, width, height, Enumerable.Repeat(value, width * height * 4).ToArray());

    private sealed class VariableRow
    {
        public float[] Image { get; set; } = Array.Empty<float>();
    }

    private sealed class ImageRow
    {
        // The attribute lets SchemaDefinition.Create accept MLImage; the tests then set the real ColumnType.
        [ImageType(1, 1)]
        public MLImage? Image { get; set; }
    }

    private sealed class TextRow
    {
        public string Image { get; set; } = string.Empty;
    }
}
