using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Torch;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Data;

[TestFixture]
public sealed class IdxDataOperationsExtensionsTests
{
    private static readonly string FashionImages = Path.Combine(TestContext.CurrentContext.TestDirectory, "fashion-mnist", "t10k-images-idx3-ubyte.gz");
    private static readonly string FashionLabels = Path.Combine(TestContext.CurrentContext.TestDirectory, "fashion-mnist", "t10k-labels-idx1-ubyte.gz");

    private string _folder = null!;

    [SetUp]
    public void SetUp()
    {
        _folder = Path.Combine(Path.GetTempPath(), "gan-idx-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void FashionMnistTestSet_Has10000RowsOf1x28x28ValuesInUnitRange()
    {
        IDataView data = new MLContext(seed: 1).Data.LoadFromIdxFile(FashionImages, FashionLabels);

        var type = (VectorDataViewType)data.Schema["Image"].Type;
        Assert.That(type.ItemType, Is.EqualTo(NumberDataViewType.Single));
        Assert.That(type.Dimensions.ToArray(), Is.EqualTo(new[] { 1, 28, 28 }));
        Assert.That(data.GetRowCount(), Is.EqualTo(10000));

        float min = float.MaxValue, max = float.MinValue;
        int rows = 0;
        using (DataViewRowCursor cursor = data.GetRowCursor(new[] { data.Schema["Image"] }))
        {
            ValueGetter<VBuffer<float>> getter = cursor.GetGetter<VBuffer<float>>(data.Schema["Image"]);
            var buffer = default(VBuffer<float>);
            while (cursor.MoveNext())
            {
                getter(ref buffer);
                Assert.That(buffer.Length, Is.EqualTo(784));
                foreach (float v in buffer.DenseValues())
                {
                    min = Math.Min(min, v);
                    max = Math.Max(max, v);
                }

                rows++;
            }
        }

        Assert.That(rows, Is.EqualTo(10000));
        Assert.That(min, Is.EqualTo(0f));
        Assert.That(max, Is.EqualTo(1f));
    }

    [Test]
    public void FashionMnistTestSet_FirstRowMatchesTheRawFileBytes()
    {
        byte[] rawImages = Gunzip(FashionImages);
        byte[] rawLabels = Gunzip(FashionLabels);
        IDataView data = new MLContext(seed: 1).Data.LoadFromIdxFile(FashionImages, FashionLabels);

        (float[] image, uint key) = ReadRow(data, 0);

        Assert.That(key, Is.EqualTo(rawLabels[8] + 1u), "keys are 1-based: raw label k is key k + 1");
        float[] expected = rawImages.Skip(16).Take(784).Select(b => b / 255f).ToArray();
        Assert.That(image, Is.EqualTo(expected).Within(1e-6f));
    }

    [Test]
    public void Label_IsKeyOfTenClassesWithTextKeyValues()
    {
        IDataView data = new MLContext(seed: 1).Data.LoadFromIdxFile(FashionImages, FashionLabels);

        DataViewSchema.Column label = data.Schema["Label"];
        Assert.That(label.Type, Is.TypeOf<KeyDataViewType>());
        Assert.That(((KeyDataViewType)label.Type).Count, Is.EqualTo(10));
        Assert.That(label.Type.RawType, Is.EqualTo(typeof(uint)));
        var keyValues = default(VBuffer<ReadOnlyMemory<char>>);
        label.GetKeyValues(ref keyValues);
        Assert.That(keyValues.DenseValues().Select(v => v.ToString()), Is.EqualTo(Enumerable.Range(0, 10).Select(i => i.ToString())));
    }

    [Test]
    public void WithoutLabelsPath_HasOnlyTheImageColumn()
    {
        IDataView data = new MLContext(seed: 1).Data.LoadFromIdxFile(FashionImages);

        Assert.That(data.Schema.Select(c => c.Name), Is.EqualTo(new[] { "Image" }));
    }

    [Test]
    public void PlainFiles_ReadTheSameAsGzipFiles_WhateverTheirExtension()
    {
        // Detection is by the gzip magic bytes: a plain file named .gz and a gzip file named .idx both work.
        string plainImages = Path.Combine(_folder, "images-plain.gz");
        string plainLabels = Path.Combine(_folder, "labels-plain.gz");
        File.WriteAllBytes(plainImages, Gunzip(FashionImages));
        File.WriteAllBytes(plainLabels, Gunzip(FashionLabels));
        string gzipLabelsNoExtension = Path.Combine(_folder, "labels.idx");
        File.Copy(FashionLabels, gzipLabelsNoExtension);
        var mlContext = new MLContext(seed: 1);

        IDataView gzip = mlContext.Data.LoadFromIdxFile(FashionImages, FashionLabels);
        IDataView plain = mlContext.Data.LoadFromIdxFile(plainImages, gzipLabelsNoExtension);

        Assert.That(plain.GetRowCount(), Is.EqualTo(10000));
        foreach (int row in new[] { 0, 1, 4999, 9999 })
        {
            (float[] expectedImage, uint expectedKey) = ReadRow(gzip, row);
            (float[] image, uint key) = ReadRow(plain, row);
            Assert.That(image, Is.EqualTo(expectedImage), $"row {row}");
            Assert.That(key, Is.EqualTo(expectedKey), $"row {row}");
        }

        Assert.That(ReadRow(mlContext.Data.LoadFromIdxFile(plainImages, plainLabels), 9999).Key, Is.EqualTo(ReadRow(gzip, 9999).Key));
    }

    [Test]
    public void SmallFile_ValuesLabelsAndKeyCountFollowTheBytes()
    {
        string images = WriteImages("small-images", count: 3, height: 2, width: 2, new byte[] { 0, 51, 102, 255, 1, 2, 3, 4, 5, 6, 7, 8 });
        string labels = WriteLabels("small-labels", new byte[] { 4, 0, 2 });

        IDataView data = new MLContext(seed: 1).Data.LoadFromIdxFile(images, labels);

        Assert.That(((KeyDataViewType)data.Schema["Label"].Type).Count, Is.EqualTo(5), "classes = largest label + 1");
        Assert.That(((VectorDataViewType)data.Schema["Image"].Type).Dimensions.ToArray(), Is.EqualTo(new[] { 1, 2, 2 }));
        (float[] image, uint key) = ReadRow(data, 0);
        Assert.That(image, Is.EqualTo(new[] { 0f, 0.2f, 0.4f, 1f }).Within(1e-6f));
        Assert.That(key, Is.EqualTo(5u));
        Assert.That(ReadRow(data, 1).Key, Is.EqualTo(1u));
    }

    [Test]
    public void ShuffledCursor_VisitsEveryRowOnceWithItsOwnLabel()
    {
        byte[] pixels = Enumerable.Range(0, 50).Select(i => (byte)i).ToArray();
        byte[] labelBytes = Enumerable.Range(0, 50).Select(i => (byte)(i % 7)).ToArray();
        IDataView data = new MLContext(seed: 1).Data.LoadFromIdxFile(
            WriteImages("shuffle-images", 50, 1, 1, pixels), WriteLabels("shuffle-labels", labelBytes));

        var seen = new List<int>();
        using DataViewRowCursor cursor = data.GetRowCursor(data.Schema, new Random(3));
        ValueGetter<VBuffer<float>> image = cursor.GetGetter<VBuffer<float>>(data.Schema["Image"]);
        ValueGetter<uint> label = cursor.GetGetter<uint>(data.Schema["Label"]);
        var buffer = default(VBuffer<float>);
        uint key = 0;
        while (cursor.MoveNext())
        {
            image(ref buffer);
            label(ref key);
            int index = (int)Math.Round(buffer.GetValues()[0] * 255f);
            Assert.That(key, Is.EqualTo(labelBytes[index] + 1u));
            seen.Add(index);
        }

        Assert.That(seen, Is.EquivalentTo(Enumerable.Range(0, 50)));
        Assert.That(seen, Is.Not.Ordered, "a cursor with a Random visits the rows in shuffled order");
    }

    [Test]
    public void MlNetMulticlassTrainer_AcceptsTheColumnsDirectly()
    {
        var mlContext = new MLContext(seed: 1);
        IDataView data = mlContext.Data.TakeRows(mlContext.Data.LoadFromIdxFile(FashionImages, FashionLabels), 1000);
        var trainer = mlContext.MulticlassClassification.Trainers.SdcaMaximumEntropy(
            labelColumnName: "Label", featureColumnName: "Image", maximumNumberOfIterations: 3);

        ITransformer model = trainer.Fit(data);
        MulticlassClassificationMetrics metrics = mlContext.MulticlassClassification.Evaluate(model.Transform(data));

        Assert.That(metrics.MicroAccuracy, Is.GreaterThan(0.5), "10 classes: chance is 0.1");
    }

    [Test]
    public void MissingImagesFile_ThrowsFileNotFoundNamingTheFile()
    {
        string missing = Path.Combine(_folder, "no-such-images.gz");

        var error = Assert.Throws<FileNotFoundException>(() => new MLContext().Data.LoadFromIdxFile(missing));

        Assert.That(error!.Message, Does.Contain("no-such-images.gz").And.Contain("images"));
    }

    [Test]
    public void MissingLabelsFile_ThrowsFileNotFoundNamingTheFile()
    {
        string missing = Path.Combine(_folder, "no-such-labels.gz");

        var error = Assert.Throws<FileNotFoundException>(() => new MLContext().Data.LoadFromIdxFile(FashionImages, missing));

        Assert.That(error!.Message, Does.Contain("no-such-labels.gz").And.Contain("labels"));
    }

    [Test]
    public void LabelsFileGivenAsImages_ThrowsWrongMagicNumberWithExpectedAndFound()
    {
        var error = Assert.Throws<InvalidDataException>(() => new MLContext().Data.LoadFromIdxFile(FashionLabels));

        Assert.That(error!.Message, Does.Contain("t10k-labels-idx1-ubyte.gz").And.Contain("expected magic number 0x00000803").And.Contain("found 0x00000801"));
    }

    [Test]
    public void ImagesFileGivenAsLabels_ThrowsWrongMagicNumberWithExpectedAndFound()
    {
        var error = Assert.Throws<InvalidDataException>(() => new MLContext().Data.LoadFromIdxFile(FashionImages, FashionImages));

        Assert.That(error!.Message, Does.Contain("expected magic number 0x00000801").And.Contain("found 0x00000803"));
    }

    [Test]
    public void NotAnIdxFile_ThrowsWrongMagicNumber()
    {
        string path = Path.Combine(_folder, "notes.txt");
        File.WriteAllText(path, "hello, this is text");

        var error = Assert.Throws<InvalidDataException>(() => new MLContext().Data.LoadFromIdxFile(path));

        Assert.That(error!.Message, Does.Contain("notes.txt").And.Contain("0x00000803").And.Contain("found 0x68656C6C"));
    }

    [Test]
    public void TruncatedImageData_ThrowsNamingDeclaredAndActualBytes()
    {
        // Header says 2 images of 2x2 (8 bytes) but only 5 follow.
        string path = WriteImages("truncated-images", count: 2, height: 2, width: 2, new byte[] { 1, 2, 3, 4, 5 });

        var error = Assert.Throws<InvalidDataException>(() => new MLContext().Data.LoadFromIdxFile(path));

        Assert.That(error!.Message, Does.Contain("truncated-images").And.Contain("truncated").And.Contain("8 bytes").And.Contain("only 5"));
    }

    [Test]
    public void TruncatedGzipImageData_ThrowsTruncated()
    {
        byte[] whole = File.ReadAllBytes(FashionImages);
        string path = Path.Combine(_folder, "cut.gz");
        File.WriteAllBytes(path, whole.AsSpan(0, whole.Length / 2).ToArray());

        var error = Assert.Throws<InvalidDataException>(() => new MLContext().Data.LoadFromIdxFile(path));

        Assert.That(error!.Message, Does.Contain("cut.gz").And.Contain("truncated"));
    }

    [Test]
    public void TruncatedHeader_ThrowsTruncated()
    {
        string path = Path.Combine(_folder, "header-only");
        File.WriteAllBytes(path, new byte[] { 0, 0, 8, 3, 0, 0, 0, 1 });

        var error = Assert.Throws<InvalidDataException>(() => new MLContext().Data.LoadFromIdxFile(path));

        Assert.That(error!.Message, Does.Contain("header-only").And.Contain("truncated"));
    }

    [Test]
    public void TruncatedLabels_ThrowsTruncated()
    {
        string images = WriteImages("three-images", 3, 1, 1, new byte[] { 1, 2, 3 });
        string labels = Path.Combine(_folder, "short-labels");
        File.WriteAllBytes(labels, Header(LabelsMagic, 3).Concat(new byte[] { 1, 2 }).ToArray());

        var error = Assert.Throws<InvalidDataException>(() => new MLContext().Data.LoadFromIdxFile(images, labels));

        Assert.That(error!.Message, Does.Contain("short-labels").And.Contain("truncated").And.Contain("3 labels"));
    }

    [Test]
    public void LabelCountDifferentFromImageCount_ThrowsNamingBothCountsAndFiles()
    {
        string images = WriteImages("two-images", 2, 1, 1, new byte[] { 1, 2 });
        string labels = WriteLabels("three-labels", new byte[] { 0, 1, 2 });

        var error = Assert.Throws<InvalidDataException>(() => new MLContext().Data.LoadFromIdxFile(images, labels));

        Assert.That(error!.Message, Does.Contain("3 labels").And.Contain("2 images").And.Contain("two-images").And.Contain("three-labels"));
    }

    private const int ImagesMagic = 0x00000803;
    private const int LabelsMagic = 0x00000801;

    private string WriteImages(string name, int count, int height, int width, byte[] pixels)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, Header(ImagesMagic, count, height, width).Concat(pixels).ToArray());
        return path;
    }

    private string WriteLabels(string name, byte[] labels)
    {
        // Written gzip-compressed, to exercise that path too.
        string path = Path.Combine(_folder, name);
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        gzip.Write(Header(LabelsMagic, labels.Length).Concat(labels).ToArray());
        return path;
    }

    private static byte[] Header(params int[] values)
    {
        var header = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(i * 4), values[i]);
        }

        return header;
    }

    private static byte[] Gunzip(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);
        return memory.ToArray();
    }

    private static (float[] Image, uint Key) ReadRow(IDataView data, int row)
    {
        using DataViewRowCursor cursor = data.GetRowCursor(data.Schema);
        ValueGetter<VBuffer<float>> image = cursor.GetGetter<VBuffer<float>>(data.Schema["Image"]);
        ValueGetter<uint>? label = data.Schema.GetColumnOrNull("Label") is { } column ? cursor.GetGetter<uint>(column) : null;
        for (int i = 0; i <= row; i++)
        {
            Assert.That(cursor.MoveNext(), Is.True);
        }

        var buffer = default(VBuffer<float>);
        image(ref buffer);
        uint key = 0;
        label?.Invoke(ref key);
        return (buffer.DenseValues().ToArray(), key);
    }
}
