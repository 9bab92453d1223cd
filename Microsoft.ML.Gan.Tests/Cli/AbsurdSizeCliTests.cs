using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using Microsoft.ML.Gan.Cli;
using NUnit.Framework;
using TorchSharp;

namespace Microsoft.ML.Gan.Tests.Cli;

/// <summary>
/// <c>gan train</c> with sizes no machine can hold: one line naming the option and the memory, exit 2, nothing trained;
/// a libtorch allocation failure that still happens is one line too, never its C++ frames.
/// </summary>
[TestFixture]
public sealed class AbsurdSizeCliTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = Path.Combine(Path.GetTempPath(), "gan-cli-absurd-" + Guid.NewGuid().ToString("N"));

    [TearDown]
    public void DeleteFolder()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Test]
    public void LatentDimensionIsRefusedWithTheMemoryItNeeds()
    {
        var result = CliRunner.Run("train", "--latent-dim", "100000000", "--output", Path.Combine(_folder, "out"), "--progress", "none");

        AssertOneLineRefusal(result, "gan: --latent: LatentDimension 100000000 would need about 10 TB for the 6.272e+11 weights of the Dcgan generator and discriminator");
    }

    [Test]
    public void SizeBeyondWhatMlNetImagesHoldIsRefusedBeforeTheFolderIsRead()
    {
        TestImageFolder.Write(Path.Combine(_folder, "images"), 2);

        var result = Train("--size", "40000");

        AssertOneLineRefusal(result, "gan: --size 40000 asks for 40000x40000 images, more than the 536870911 pixels (height × width) ML.NET's image type holds; the largest square is 23170x23170.");
        Assert.That(result.Output, Does.Not.Contain("Found"), "refused before the folder is scanned");
    }

    [Test]
    public void HugeSizeIsRefusedWithTheMemoryItsNetworksNeed()
    {
        TestImageFolder.Write(Path.Combine(_folder, "images"), 2);

        var result = Train("--size", "20000", "--architecture", "Mlp");

        AssertOneLineRefusal(result, "gan: Images of 3x20000x20000 in column 'Image' would need about 6.2 TB for the 3.852e+11 weights of the Mlp generator");
    }

    [Test]
    public void LibTorchAllocationFailureIsOneLineWithoutFrames()
    {
        ExternalException failure = Assert.Throws<ExternalException>(() => torch.empty(1L << 50).Dispose())!;
        Assert.That(failure.Message, Does.Contain("frame #0"), "libtorch's own message carries its C++ stack");

        (int exitCode, string line) = CliErrors.Describe(failure);

        Assert.That(exitCode, Is.EqualTo(ExitCodes.Failure));
        Assert.That(line, Does.StartWith("libtorch could not allocate 4.5 PB at once (one tensor); the machine's memory is ").And.Not.Contain("frame"));
    }

    [Test]
    public void TrainerOptionErrorRaisedDuringTrainingNamesTheFlag()
    {
        (int exitCode, string line) = CliErrors.Describe(new ArgumentException("BatchSize 9 would need about 1 TB.", nameof(GanTrainer.Options.BatchSize)));

        Assert.That((exitCode, line), Is.EqualTo((ExitCodes.BadArguments, "--batch-size: BatchSize 9 would need about 1 TB.")));
    }

    private CliResult Train(params string[] extra) => CliRunner.Run(
        new[] { "train", "--images", Path.Combine(_folder, "images"), "--output", Path.Combine(_folder, "out"), "--progress", "none" }.Concat(extra).ToArray());

    private void AssertOneLineRefusal(CliResult result, string start)
    {
        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.BadArguments), result.ToString());
        Assert.That(result.Error, Does.StartWith(start));
        Assert.That(result.Error.TrimEnd().Split('\n'), Has.Length.EqualTo(1), result.Error);
        Assert.That(File.Exists(Path.Combine(_folder, "out", "model.zip")), Is.False);
    }
}
