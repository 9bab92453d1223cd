using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.ML.Gan.Tests.TestSupport;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Packaging;

/// <summary>
/// Builds the programs under samples/ (the source of every C# example in README.md and docs/, see
/// <see cref="Docs.DocCodeBlocksComeFromSamplesTests"/>) against the packed library (<see cref="PackedFeed"/>), once
/// with Microsoft.ML 5.0.1 and once with 6.0.0, and runs each one on a 256-image Fashion-MNIST folder with
/// <see cref="TinySettings"/>, checking what it writes and prints.
/// </summary>
[TestFixture]
[NonParallelizable]
public class SampleProgramsTests
{
    /// <summary>The Microsoft.ML versions the package supports (its dependency range is [5.0.1, 7.0.0)).</summary>
    private static readonly string[] MlNetVersions = { "5.0.1", "6.0.0" };

    private const int TinyFashionMnistImages = 256;

    /// <summary>
    /// Every sample, with the only changes made to its Program.cs here: training capped at three updates and fewer
    /// images generated (samples/README.md lists them too). Each text must occur exactly once in the sample.
    /// </summary>
    private static readonly Dictionary<string, (string AsWritten, string AsRun)[]> TinySettings = new()
    {
        ["QuickStart"] = new[] { ("Epochs = 5,", "Epochs = 5, MaxSteps = 3,"), ("count: 10_000", "count: 20") },
        ["ImageFolder"] = new[] { ("Epochs = 20,", "Epochs = 20, MaxSteps = 3,"), ("count: 5000", "count: 10") },
        ["ConditionalGan"] = new[] { ("MaxSteps = 3000,", "MaxSteps = 3,"), ("Generate(1000, seed: 7)", "Generate(100, seed: 7)") },
        ["OGanFeaturizer"] = new[] { ("MaxSteps = 4_000,", "MaxSteps = 3,") },
        ["Checkpoints"] = new[] { ("Epochs = 50,", "Epochs = 50, MaxSteps = 3,"), ("CheckpointEveryNSteps = 1000,", "CheckpointEveryNSteps = 2,") },
        ["Evaluation"] = new[] { ("MaxSteps = 1000 }", "MaxSteps = 3 }"), ("Generate(10_000, seed: 1)", "Generate(100, seed: 1)") },
        ["HostSettings"] = new[] { ("MaxSteps = 1000 }", "MaxSteps = 3 }") },
        ["ShardedGeneration"] = Array.Empty<(string, string)>(),   // the shard size is an argument
    };

    private PackedFeed _feed = null!;
    private string _fashionMnist = null!;

    [OneTimeSetUp]
    public void PackTheLibraryAndWriteTheData()
    {
        _feed = PackedFeed.Shared;
        _fashionMnist = WriteTinyFashionMnist(Path.Combine(_feed.Root, "fashion-mnist-tiny"));
    }

    [Test]
    public void EverySampleProjectIsBuiltAndRunByThisTest()
    {
        string samples = Path.Combine(RepositoryRoot.Find(), "samples");
        string[] projects = Directory.GetDirectories(samples).Where(folder => File.Exists(Path.Combine(folder, Path.GetFileName(folder) + ".csproj")))
            .Select(Path.GetFileName).Order().ToArray()!;
        Assert.That(projects, Is.EqualTo(TinySettings.Keys.Order().ToArray()), "samples/ and this test's list of samples differ.");
        string solution = File.ReadAllText(Path.Combine(samples, "Samples.slnx"));
        Assert.That(projects.Where(project => !solution.Contains($"\"{project}/{project}.csproj\"")), Is.Empty, "Projects missing from samples/Samples.slnx.");
    }

    [TestCaseSource(nameof(MlNetVersions))]
    public void EverySampleBuildsAndRunsAgainstThePackage(string mlNetVersion)
    {
        string bin = BuildSamples(mlNetVersion);
        string work = Directory.CreateDirectory(Path.Combine(_feed.Root, "samples-run-" + mlNetVersion)).FullName;

        string quickStart = RunQuickStart(bin, work);
        RunImageFolder(bin, work, imageFolder: Path.Combine(quickStart, "generated"));
        RunConditionalGan(bin, work);
        RunOGanFeaturizer(bin, work);
        RunCheckpointsTwice(bin, work);
        RunEvaluation(bin, work);
        RunShardedGeneration(bin, work, model: Path.Combine(quickStart, "model.zip"));
        RunHostSettings(bin, work);
    }

    private string RunQuickStart(string bin, string work)
    {
        (string folder, string output) = RunSample(bin, work, "QuickStart", _fashionMnist);
        Assert.That(Directory.GetFiles(Path.Combine(folder, "generated"), "*.png"), Has.Length.EqualTo(20));
        AssertFilesExist(folder, "grid.png", "model.zip");
        Assert.That(output, Does.Contain("One image from the zero latent vector: 28x28"));
        Assert.That(Figure(output, @"Mean realness score of 256 real images: (\S+)"), Is.Not.NaN);
        return folder;
    }

    private void RunImageFolder(string bin, string work, string imageFolder)
    {
        (string folder, string output) = RunSample(bin, work, "ImageFolder", imageFolder);
        Assert.That(Directory.GetFiles(Path.Combine(folder, "out"), "*.png"), Has.Length.EqualTo(10));
        // 20 images in one batch: each of the three updates ends an epoch, and the callback saves a preview.
        AssertFilesExist(folder, "grid.png", "gan.zip", "epoch-1.png", "epoch-3.png");
        Assert.That(output, Does.Contain("step 3 epoch 3"), "The sample prints the trainer's log.");
        Assert.That(Figure(output, @"Loaded a 64x64 GAN; mean realness score of 20 files: (\S+)"), Is.Not.NaN);
    }

    private void RunConditionalGan(string bin, string work)
    {
        (string folder, string output) = RunSample(bin, work, "ConditionalGan", _fashionMnist);
        Assert.That(Directory.GetFiles(Path.Combine(folder, "sneakers"), "*.png"), Has.Length.EqualTo(10));
        AssertFilesExist(folder, "mixed.png", "cgan.zip");
        Match labels = Regex.Match(output, @"Labels drawn for 100 images: (.+)");
        Assert.That(labels.Success, Is.True, output);
        var counts = labels.Groups[1].Value.Trim().Split(", ").Select(part => Regex.Match(part, @"^(.+) (\d+)$")).ToArray();
        Assert.That(counts.All(count => count.Success), Is.True, labels.Value);
        Assert.That(counts.Sum(count => int.Parse(count.Groups[2].Value, CultureInfo.InvariantCulture)), Is.EqualTo(100));
        Assert.That(counts.Select(count => count.Groups[1].Value), Is.SubsetOf(new[]
            { "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot" }));
    }

    private void RunOGanFeaturizer(string bin, string work)
    {
        (string folder, string output) = RunSample(bin, work, "OGanFeaturizer", _fashionMnist);
        AssertFilesExist(folder, "classifier.zip", "encoder.zip", "features-classifier.zip", "samples.png", "reconstructions.png", "interpolation.png", "interpolation-view.png");
        Assert.That(double.Parse(output.Split('\n')[0], CultureInfo.InvariantCulture), Is.InRange(-1.0, 1.0), "The first line is the mean correlation.");
        Assert.That(Figure(output, @"Training-set accuracy of the classifier on O-GAN latents: (\S+)"), Is.InRange(0.0, 1.0));
        Assert.That(Figure(output, @"Training-set accuracy of the classifier on discriminator features: (\S+)"), Is.InRange(0.0, 1.0));
        // The O-GAN's score keeps its own name beside the classifier's Score.
        Assert.That(output, Does.Contain("Columns: Image, Label, Latent, Realness, PredictedLabel, Score"));
    }

    private void RunCheckpointsTwice(string bin, string work)
    {
        (string folder, string first) = RunSample(bin, work, "Checkpoints", _fashionMnist);
        Assert.That(first, Does.Contain("No checkpoint in 'runs/faces/checkpoints' yet: training from the start."));
        Assert.That(first, Does.Contain("Checkpoints: checkpoint-00000002.gancheckpoint, checkpoint-00000003.gancheckpoint"));
        byte[] grid = File.ReadAllBytes(Path.Combine(folder, "runs", "faces", "grid.png"));

        // Run again, as after a restart: it resumes from the final checkpoint, trains nothing more and generates the same.
        (_, string second) = RunSample(bin, work, "Checkpoints", _fashionMnist);
        Assert.That(second, Does.Match(@"Resumed from \S+checkpoint-00000003\.gancheckpoint at generator update 3 "));
        Assert.That(File.ReadAllBytes(Path.Combine(folder, "runs", "faces", "grid.png")), Is.EqualTo(grid));
    }

    private void RunEvaluation(string bin, string work)
    {
        (string folder, string output) = RunSample(bin, work, "Evaluation", _fashionMnist);
        AssertFilesExist(folder, "classifier.zip");
        Match figures = Regex.Match(output, @"FID (\S+), precision (\S+), recall (\S+)");
        Assert.That(figures.Success, Is.True, output);
        Assert.That(double.Parse(figures.Groups[1].Value, CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(0));
        Assert.That(double.Parse(figures.Groups[2].Value, CultureInfo.InvariantCulture), Is.InRange(0.0, 1.0));
        Assert.That(double.Parse(figures.Groups[3].Value, CultureInfo.InvariantCulture), Is.InRange(0.0, 1.0));
    }

    private void RunShardedGeneration(string bin, string work, string model)
    {
        // Workers 0 and 1 with five images each write exactly what one worker with ten writes.
        string shards = RunSample(bin, work, "ShardedGeneration", model, "0", "5").Folder;
        RunSample(bin, work, "ShardedGeneration", model, "1", "5");
        string single = RunSample(bin, Directory.CreateDirectory(Path.Combine(work, "single")).FullName, "ShardedGeneration", model, "0", "10").Folder;

        string[] sharded = new[] { "shard-0000", "shard-0001" }
            .SelectMany(shard => Directory.GetFiles(Path.Combine(shards, "out", shard))).Order().ToArray();
        string[] whole = Directory.GetFiles(Path.Combine(single, "out", "shard-0000")).Order().ToArray();
        Assert.That(sharded.Select(Path.GetFileName), Is.EqualTo(Enumerable.Range(0, 10).Select(i => $"image_{i:D5}.png")));
        Assert.That(whole.Select(Path.GetFileName), Is.EqualTo(sharded.Select(Path.GetFileName)));
        for (int i = 0; i < whole.Length; i++)
            Assert.That(File.ReadAllBytes(sharded[i]), Is.EqualTo(File.ReadAllBytes(whole[i])), $"{Path.GetFileName(whole[i])} differs between the shards and one run.");
    }

    private void RunHostSettings(string bin, string work)
    {
        (_, string output) = RunSample(bin, work, "HostSettings", _fashionMnist);
        // The samples reference TorchSharp-cpu: GPU 0 without fallback is refused, saying why.
        Assert.That(output, Does.Contain("No GPU training: MLContext.GpuDeviceId is 0 but CUDA is not available"));
    }

    /// <summary>
    /// Copies the samples' sources under the feed's folder with <see cref="TinySettings"/> applied, and builds them all
    /// into one output folder (TorchSharp's 1 GB of native files once, hard-linked where the file system allows).
    /// </summary>
    private string BuildSamples(string mlNetVersion)
    {
        string source = Path.Combine(_feed.Repository, "samples");
        string copy = Path.Combine(_feed.Root, "samples-" + mlNetVersion);
        foreach (string file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(source, file);
            bool built = relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "packages");
            if (built || Path.GetExtension(file) is not (".cs" or ".csproj" or ".props" or ".targets" or ".slnx"))
                continue;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(copy, relative))!);
            File.Copy(file, Path.Combine(copy, relative));
        }
        foreach ((string sample, (string AsWritten, string AsRun)[] changes) in TinySettings)
        {
            string program = Path.Combine(copy, sample, "Program.cs");
            string text = File.ReadAllText(program);
            foreach ((string asWritten, string asRun) in changes)
            {
                Assert.That(Regex.Matches(text, Regex.Escape(asWritten)), Has.Count.EqualTo(1),
                    $"samples/{sample}/Program.cs should hold '{asWritten}' once: update SampleProgramsTests.TinySettings and samples/README.md.");
                text = text.Replace(asWritten, asRun);
            }
            File.WriteAllText(program, text);
        }

        string bin = Path.Combine(_feed.Root, "samples-bin-" + mlNetVersion) + Path.DirectorySeparatorChar;
        // One output folder shared by all projects, so one at a time (-m:1): parallel builds would copy into it at once.
        _feed.Run(copy, useMachinePackages: false, "build", "Samples.slnx", "-c", "Release", "-m:1", $"-p:MicrosoftMLVersion={mlNetVersion}",
            $"-p:MicrosoftMLGanVersion={_feed.Version}", $"-p:OutDir={bin}", "-p:CreateHardLinksForCopyLocalIfPossible=true",
            "--disable-build-servers", "-nologo").AssertSucceeded($"dotnet build samples/Samples.slnx (Microsoft.ML {mlNetVersion})");
        _feed.AssertRestoredFromTheFeed();
        return bin;
    }

    /// <summary>Runs a sample in its own folder under <paramref name="work"/>, as <c>dotnet run</c> in its project folder would.</summary>
    private (string Folder, string Output) RunSample(string bin, string work, string sample, params string[] arguments)
    {
        string folder = Directory.CreateDirectory(Path.Combine(work, sample)).FullName;
        CommandResult run = _feed.Run(folder, useMachinePackages: false, new[] { Path.Combine(bin, sample + ".dll") }.Concat(arguments).ToArray());
        run.AssertSucceeded($"samples/{sample}");
        return (folder, run.Output);
    }

    private static void AssertFilesExist(string folder, params string[] files) =>
        Assert.That(files.Where(file => !File.Exists(Path.Combine(folder, file))), Is.Empty, $"Files missing in {folder}.");

    private static double Figure(string output, string pattern)
    {
        Match match = Regex.Match(output, pattern);
        Assert.That(match.Success, Is.True, $"No line matching '{pattern}' in:\n{output}");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>The first <see cref="TinyFashionMnistImages"/> images and labels of the repository's t10k files, as gzip IDX files.</summary>
    private string WriteTinyFashionMnist(string folder)
    {
        Directory.CreateDirectory(folder);
        string data = Path.Combine(_feed.Repository, "data", "fashion-mnist");
        WriteFirstItems("t10k-images-idx3-ubyte.gz", headerBytes: 16, itemBytes: 28 * 28);
        WriteFirstItems("t10k-labels-idx1-ubyte.gz", headerBytes: 8, itemBytes: 1);
        return folder;

        // IDX: a big-endian header whose second 32-bit number is the item count, then the items.
        void WriteFirstItems(string name, int headerBytes, int itemBytes)
        {
            using var whole = new MemoryStream();
            using (var input = new GZipStream(File.OpenRead(Path.Combine(data, name)), CompressionMode.Decompress))
                input.CopyTo(whole);
            byte[] bytes = whole.GetBuffer()[..(headerBytes + TinyFashionMnistImages * itemBytes)];
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), TinyFashionMnistImages);
            using var output = new GZipStream(File.Create(Path.Combine(folder, name)), CompressionLevel.Fastest);
            output.Write(bytes);
        }
    }
}
