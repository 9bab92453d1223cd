using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using Microsoft.ML.Gan.Cli;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Cli;

/// <summary><c>gan train --architecture ResNet</c>: trains on a folder, and refuses sizes it cannot build before reading the images.</summary>
[TestFixture]
public sealed class ResNetCliTests
{
    private string _folder = null!;
    private string _images = null!;
    private string _output = null!;

    [SetUp]
    public void CreateFolders()
    {
        _folder = Path.Combine(Path.GetTempPath(), "gan-cli-resnet-" + Guid.NewGuid().ToString("N"));
        _images = Path.Combine(_folder, "images");
        _output = Path.Combine(_folder, "out");
        Directory.CreateDirectory(_images);
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private CliResult Train(string data, params string[] extra) => CliRunner.Run(
        new[] { "train", "--data", data, "--output", _output, "--architecture", "ResNet", "--latent", "4", "--batch-size", "4", "--max-steps", "2", "--progress", "none" }
            .Concat(extra).ToArray());

    [Test]
    public void TrainsOnAColourFolderResizedToASizeItBuilds()
    {
        TestImageFolder.Write(_images, 6, width: 20, height: 20);

        var result = Train(_images, "--size", "16");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Output, Does.Contain("architecture ResNet").And.Contain("spectral norm True"));
        var mlContext = new MLContext(seed: 1);
        using GanTransformer model = mlContext.Gan().LoadModel<GanTransformer>(Path.Combine(_output, "model.zip"));
        Assert.That((model.Architecture, model.ImageChannels, model.ImageHeight, model.ImageWidth), Is.EqualTo((GanArchitecture.ResNet, 3, 16, 16)));
        Assert.That(File.Exists(Path.Combine(_output, "samples.png")), Is.True);
    }

    [Test]
    public void FolderSizeItCannotBuildIsRefusedBeforeTheImagesAreScanned()
    {
        TestImageFolder.Write(_images, 2);

        var result = Train(_images, "--size", "30");

        AssertOneLineRefusal(result, "gan: --architecture: Column 'Image': ResNet builds images whose sides halve together", "got 3x30x30");
        Assert.That(result.Output, Does.Not.Contain("Found"), "refused before the folder is scanned");
    }

    [Test]
    public void IdxImagesOfASizeItCannotBuildAreRefusedBeforeTraining()
    {
        string idx = Path.Combine(_folder, "images-idx3-ubyte");
        using (FileStream file = File.Create(idx))
        {
            Span<byte> word = stackalloc byte[4];
            foreach (int value in new[] { 0x803, 4, 30, 30 })
            {
                BinaryPrimitives.WriteInt32BigEndian(word, value);
                file.Write(word);
            }
            file.Write(new byte[4 * 30 * 30]);
        }

        var result = Train(idx, "--log-every", "1");

        AssertOneLineRefusal(result, "gan: --architecture: Column 'Image': ResNet builds", "got 1x30x30");
        Assert.That(result.Output, Does.Not.Contain("Training a"));
    }

    [Test]
    public void HelpListsResNet()
    {
        var help = CliRunner.Run("train", "--help");

        Assert.That(help.Output, Does.Contain("Dcgan, Mlp or ResNet"));
    }

    private void AssertOneLineRefusal(CliResult result, string start, string size)
    {
        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.BadArguments), result.ToString());
        Assert.That(result.Error, Does.StartWith(start).And.Contain(size).And.Contain("16, 20, 24, 28, 32"));
        Assert.That(result.Error.TrimEnd().Split('\n'), Has.Length.EqualTo(1), result.Error);
        Assert.That(File.Exists(Path.Combine(_output, "model.zip")), Is.False);
    }
}
