using System;
using System.IO;
using System.Linq;
using Microsoft.ML.Gan.Data;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Data;

/// <summary>
/// An ML.NET LoadImages column over a damaged file: ML.NET throws "Invalid input stream contents" without a file name;
/// the reader and the trainers refuse naming the row, the file and the real reason.
/// </summary>
[TestFixture]
public sealed class UnreadableImageRowTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "gan-unreadable-row-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void EmptyFileInALoadImagesColumnNamesTheRowTheFileAndWhy()
    {
        string whole = BrokenImages.WriteNoise(Path.Combine(_folder, "a.png"));
        string empty = BrokenImages.WriteEmpty(Path.Combine(_folder, "b.png"));
        IDataView data = LoadImages(imageFolder: null, whole, empty);
        ImageColumnReader reader = ImageColumnReader.Create(data.Schema, "Image", grayscale: false);

        var error = Assert.Throws<InvalidDataException>(() => reader.ReadAll(data).Dispose())!;

        Assert.That(error.Message, Is.EqualTo($"Row 1 of column 'Image': '{empty}' is not a readable image: the file is empty (0 bytes)."));
        Assert.That(error.InnerException, Is.InstanceOf<ArgumentException>(), "ML.NET's own exception is kept");
    }

    [Test]
    public void PathRelativeToAnImageFolderIsShownWithMlNetsReason()
    {
        BrokenImages.WriteText(Path.Combine(_folder, "notes.jpg"));
        IDataView data = LoadImages(imageFolder: _folder, "notes.jpg");
        ImageColumnReader reader = ImageColumnReader.Create(data.Schema, "Image", grayscale: false);

        var error = Assert.Throws<InvalidDataException>(() => reader.ReadAll(data).Dispose())!;

        Assert.That(error.Message, Does.StartWith("Row 0 of column 'Image' (Path 'notes.jpg') holds no readable image: ML.NET reported \"Invalid input stream contents"));
    }

    [Test]
    public void TrainerRefusesATextFileNamedJpgBeforeTraining()
    {
        string whole = BrokenImages.WriteNoise(Path.Combine(_folder, "a.png"));
        string text = BrokenImages.WriteText(Path.Combine(_folder, "b.jpg"));
        var mlContext = new MLContext(1);
        // The trainer needs the size in the schema, as ResizeImages gives it.
        IDataView loaded = LoadImages(imageFolder: null, whole, text);
        IDataView data = mlContext.Transforms.ResizeImages("Image", 8, 8, "Image").Fit(loaded).Transform(loaded);
        var options = new GanTrainer.Options { ImageColumnName = "Image", Architecture = GanArchitecture.Mlp, LatentDimension = 4, BatchSize = 2, Epochs = 1 };

        var error = Assert.Throws<InvalidDataException>(() => mlContext.Gan().Trainers.Gan(options).Fit(data).Dispose())!;

        Assert.That(error.Message, Does.StartWith($"Row 1 of column 'Image': '{text}' is not a readable image: it is not a PNG, JPEG"));
    }

    [Test]
    public void StreamedTrainingNamesTheRowTheFileAndWhy()
    {
        string whole = BrokenImages.WriteNoise(Path.Combine(_folder, "a.png"));
        string empty = BrokenImages.WriteEmpty(Path.Combine(_folder, "b.png"));
        var mlContext = new MLContext(1);
        IDataView loaded = LoadImages(imageFolder: null, whole, empty);
        IDataView data = mlContext.Transforms.ResizeImages("Image", 8, 8, "Image").Fit(loaded).Transform(loaded);
        var options = new GanTrainer.Options
        {
            ImageColumnName = "Image", Architecture = GanArchitecture.Mlp, LatentDimension = 4, BatchSize = 2, Epochs = 1, DataLoading = TrainingDataMode.Streaming,
        };

        var error = Assert.Throws<InvalidDataException>(() => mlContext.Gan().Trainers.Gan(options).Fit(data).Dispose())!;

        Assert.That(error.Message, Is.EqualTo($"Row 1 of column 'Image': '{empty}' is not a readable image: the file is empty (0 bytes)."));
    }

    [Test]
    public void RowByRowMappingNamesTheFileToo()
    {
        string whole = BrokenImages.WriteNoise(Path.Combine(_folder, "a.png"));
        string cut = BrokenImages.WriteEmpty(Path.Combine(_folder, "b.png"));
        IDataView data = LoadImages(imageFolder: null, whole, cut);
        ImageColumnReader reader = ImageColumnReader.Create(data.Schema, "Image", grayscale: true);
        reader.ReadAll(LoadImages(imageFolder: null, whole)).Dispose();
        using DataViewRowCursor cursor = data.GetRowCursor(data.Schema);
        Action<Span<float>> read = reader.CreateRowReader(cursor);
        var pixels = new float[BrokenImages.Side * BrokenImages.Side];
        cursor.MoveNext();
        read(pixels);
        cursor.MoveNext();

        var error = Assert.Throws<InvalidDataException>(() => read(pixels))!;

        Assert.That(error.Message, Is.EqualTo($"Row 1 of column 'Image': '{cut}' is not a readable image: the file is empty (0 bytes)."));
    }

    private static IDataView LoadImages(string? imageFolder, params string[] paths)
    {
        var mlContext = new MLContext(1);
        IDataView rows = mlContext.Data.LoadFromEnumerable(paths.Select(path => new PathRow { Path = path }).ToArray());
        return mlContext.Transforms.LoadImages("Image", imageFolder, nameof(PathRow.Path)).Fit(rows).Transform(rows);
    }

    private sealed class PathRow
    {
        public string Path { get; set; } = string.Empty;
    }
}
