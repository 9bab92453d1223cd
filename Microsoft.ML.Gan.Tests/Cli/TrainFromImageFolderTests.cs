using System;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Tests.Data;
using Microsoft.ML.Gan.Tests.TestData;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Cli;

/// <summary><c>gan train --images DIR</c>: a folder of PNGs, resized or used at their size, and the errors a user can meet.</summary>
[TestFixture]
public class TrainFromImageFolderTests
{
    private string _folder = null!;
    private string _images = null!;
    private string _output = null!;

    [SetUp]
    public void CreateFolders()
    {
        _folder = Path.Combine(Path.GetTempPath(), "gan-cli-images-" + Guid.NewGuid().ToString("N"));
        _images = Path.Combine(_folder, "images");
        _output = Path.Combine(_folder, "out");
        Directory.CreateDirectory(_images);
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private CliResult Train(params string[] extra) => CliRunner.Run(
        new[] { "train", "--images", _images, "--output", _output, "--architecture", "Mlp", "--latent", "4", "--batch-size", "4", "--epochs", "1", "--progress", "none" }
            .Concat(extra).ToArray());

    [Test]
    public void TrainsOnImagesOfOneSizeFromSubfoldersTooAtTheirSize()
    {
        TestImageFolder.Write(_images, 8, width: 12, height: 8);
        var result = Train();
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Output, Does.Contain("Found 8 images of 12x8"));
        using GanTransformer model = LoadModel();
        Assert.That((model.ImageChannels, model.ImageHeight, model.ImageWidth), Is.EqualTo((3, 8, 12)));
    }

    [Test]
    public void SizeResizesImagesOfMixedSizesAndGrayscaleTrainsOneChannel()
    {
        TestImageFolder.Write(_images, 4, width: 16, height: 16);
        TestImageFolder.Write(Path.Combine(_images, "small"), 4, width: 10, height: 12);
        var result = Train("--size", "8", "--grayscale");
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        using GanTransformer model = LoadModel();
        Assert.That((model.ImageChannels, model.ImageHeight, model.ImageWidth), Is.EqualTo((1, 8, 8)));
        using MLImage grid = MLImage.CreateFromFile(Path.Combine(_output, "samples", "epoch_001.png"));
        Assert.That((grid.Width, grid.Height), Is.EqualTo((8 * 8 + 9 * 2, 8 * 8 + 9 * 2)), "an 8x8 grid of 8x8 images with 2 px padding");
    }

    [Test]
    public void MixedSizesWithoutSizeNameTheOddFile()
    {
        TestImageFolder.Write(_images, 2);
        string[] odd = TestImageFolder.Write(Path.Combine(_images, "odd"), 1, width: 9, height: 9);
        var result = Train();
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain(odd[0]).And.Contain("9x9").And.Contain("--size"));
        Assert.That(File.Exists(Path.Combine(_output, "model.zip")), Is.False);
    }

    [TestCase("empty.png", "the file is empty (0 bytes).")]
    [TestCase("cut.png", "the file is truncated: its")]
    [TestCase("cut.jpg", "the file is truncated: its")]
    [TestCase("notes.jpg", "it is not a PNG, JPEG, BMP, GIF or WebP image (its first bytes are 74 68 69 73")]
    public void DamagedImageIsNamedWithItsReasonBeforeTraining(string name, string reason)
    {
        TestImageFolder.Write(_images, 2);
        string path = Path.Combine(_images, name);
        Action<string> write = name switch
        {
            "empty.png" => file => BrokenImages.WriteEmpty(file),
            "notes.jpg" => file => BrokenImages.WriteText(file),
            _ => file => BrokenImages.WriteCutInHalf(file),
        };
        write(path);

        var result = Train("--size", "8");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Error, Does.StartWith($"gan: '{path}' is not a readable image: {reason}").And.Not.Contain("   at "));
        Assert.That(result.Error.TrimEnd().Split('\n'), Has.Length.EqualTo(1), result.Error);
        Assert.That(result.Output, Does.Not.Contain("Training a"), "refused before training");
        Assert.That(File.Exists(Path.Combine(_output, "model.zip")), Is.False);
    }

    [Test]
    public void LinkLoopAndLinkedFileAreSearchedOnce()
    {
        string[] images = TestImageFolder.Write(_images, 4);
        Directory.CreateSymbolicLink(Path.Combine(_images, "nested", "loop"), "..");
        File.CreateSymbolicLink(Path.Combine(_images, "zz_alias.png"), images[0]);

        var result = Train();

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Output, Does.Contain(
            $"Found 4 images of {SyntheticModes.Side}x{SyntheticModes.Side} in {_images} (1 more paths are symbolic links to these files and were left out)."));
    }

    [Test]
    public void FolderWithoutImagesIsABadArgument()
    {
        File.WriteAllText(Path.Combine(_images, "readme.txt"), "no images here");
        var result = Train();
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain(_images).And.Contain("holds no .png"));
    }

    [Test]
    public void SizeWithAnIdxFileIsABadArgument()
    {
        var result = CliRunner.Run("train", "--size", "16", "--output", _output);
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain("--size resizes the images of a folder"));
    }

    private GanTransformer LoadModel()
    {
        var mlContext = new MLContext(1);
        mlContext.Gan();
        return (GanTransformer)mlContext.Model.Load(Path.Combine(_output, "model.zip"), out _);
    }
}
