using System;
using System.IO;
using Microsoft.ML.Gan.Data;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Data;

/// <summary>
/// <see cref="ImageFile.Decode"/>: every damaged file is refused with its path and the real reason, where ML.NET's
/// MLImage.CreateFromFile says "Invalid path" (empty, not an image) or decodes a cut file with black rows.
/// </summary>
[TestFixture]
public sealed class ImageFileTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "gan-image-file-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [TestCase("whole.png")]
    [TestCase("whole.jpg")]
    public void CompleteImageGivesItsSize(string name)
    {
        string path = BrokenImages.WriteNoise(Path.Combine(_folder, name));

        Assert.That(ImageFile.Decode(path), Is.EqualTo((BrokenImages.Side, BrokenImages.Side)));
    }

    [TestCase("cut.png", "Png")]
    [TestCase("cut.jpg", "Jpeg")]
    public void FileCutInHalfIsTruncated(string name, string format)
    {
        string path = BrokenImages.WriteCutInHalf(Path.Combine(_folder, name));
        long length = new FileInfo(path).Length;

        var error = Assert.Throws<InvalidDataException>(() => ImageFile.Decode(path))!;

        Assert.That(error.Message, Is.EqualTo(
            $"'{path}' is not a readable image: the file is truncated: its {length} bytes end before the {BrokenImages.Side}x{BrokenImages.Side} {format} image is complete."));
    }

    [Test]
    public void EmptyFileSaysSo()
    {
        string path = BrokenImages.WriteEmpty(Path.Combine(_folder, "empty.png"));

        var error = Assert.Throws<InvalidDataException>(() => ImageFile.Decode(path))!;

        Assert.That(error.Message, Is.EqualTo($"'{path}' is not a readable image: the file is empty (0 bytes)."));
    }

    [Test]
    public void TextUnderAnImageNameIsNotAnImageAndShowsItsFirstBytes()
    {
        string path = BrokenImages.WriteText(Path.Combine(_folder, "notes.jpg"));

        var error = Assert.Throws<InvalidDataException>(() => ImageFile.Decode(path))!;

        Assert.That(error.Message, Is.EqualTo(
            $"'{path}' is not a readable image: it is not a PNG, JPEG, BMP, GIF or WebP image (its first bytes are 74 68 69 73 20 69 73 20)."));
    }

    [Test]
    public void PngCutInsideItsHeaderIsTruncated()
    {
        string path = BrokenImages.WriteNoise(Path.Combine(_folder, "header.png"));
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..20]);

        var error = Assert.Throws<InvalidDataException>(() => ImageFile.Decode(path))!;

        Assert.That(error.Message, Is.EqualTo($"'{path}' is not a readable image: the file is truncated: its 20 bytes end inside the image header."));
    }

    [Test]
    public void FileThatCannotBeOpenedIsNamedWithTheSystemsReason()
    {
        // Permissions cannot stand in here: the tests may run as root, whom mode 000 does not stop. A missing file can.
        string path = Path.Combine(_folder, "gone.png");

        var error = Assert.Throws<InvalidDataException>(() => ImageFile.Decode(path))!;

        Assert.That(error.Message, Does.StartWith($"'{path}' is not a readable image: the file cannot be opened (Could not find file"));
        Assert.That(error.InnerException, Is.InstanceOf<FileNotFoundException>());
    }
}
