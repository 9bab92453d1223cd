using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Data;
using Microsoft.ML.Gan.Persistence;
using Microsoft.ML.Gan.Tests.TestData;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Data;

/// <summary>
/// The parallel image writer behind <see cref="GanImages.SavePngs"/> and <c>gan generate</c>: whatever the threads do,
/// file i holds exactly what encoding row i on its own gives, and stopping or being killed leaves only whole files.
/// </summary>
[TestFixture]
public class ImageFolderWriterTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder() => Directory.CreateDirectory(_folder = Path.Combine(Path.GetTempPath(), "gan-folder-writer-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private static GanTransformer Model(MLContext mlContext) => mlContext.Gan().Trainers.Gan(new GanTrainer.Options
    {
        Architecture = GanArchitecture.Mlp, LatentDimension = 8, MaxSteps = 1, BatchSize = 16, Seed = 5,
    }).Fit(SyntheticModes.Create(mlContext, 64));

    [Test]
    public void SeveralChunksWriteEachRowAsEncodingItAloneWould()
    {
        var mlContext = new MLContext(seed: 1);
        using GanTransformer model = Model(mlContext);
        const int count = 250; // eight chunks of 32, the last one partial
        var writer = new ImageFolderWriter(_folder, "image", ".png", maxChunkImages: 32);

        long written = writer.Write(model.Generate(count, seed: 4, startIndex: 70), "Image", firstIndex: 70);
        var paths = new NumberedFilePaths(writer, 70, written);

        Assert.That(paths, Has.Count.EqualTo(count));
        Assert.That(Directory.GetFiles(_folder).Select(Path.GetFileName), Is.EquivalentTo(paths.Select(Path.GetFileName)), "no other file, no temporary file");
        int row = 0;
        foreach (MLImage image in model.Generate(count, seed: 4, startIndex: 70).GetColumn<MLImage>("Image"))
        {
            var bgra = new byte[image.Width * image.Height * 4];
            ImagePixels.CopyToOpaqueBgra32(image, bgra);
            string expectedPath = Path.Combine(_folder, $"image_{70 + row:D5}.png");
            Assert.That(paths[row], Is.EqualTo(expectedPath));
            Assert.That(File.ReadAllBytes(paths[row]), Is.EqualTo(ImageFileWriter.Encode(expectedPath, image.Width, image.Height, bgra)), expectedPath);
            image.Dispose();
            row++;
        }
        Assert.That(row, Is.EqualTo(count));
    }

    [Test]
    public void ACancelledWriteStopsEarlyWithWholeFilesOnly()
    {
        var mlContext = new MLContext(seed: 1);
        using GanTransformer model = Model(mlContext);
        var writer = new ImageFolderWriter(_folder, "image", ".png", maxChunkImages: 16);
        using var stop = new System.Threading.CancellationTokenSource();

        long written = writer.Write(model.Generate(1000, seed: 4), "Image", 0, stop.Token, done => stop.Cancel());

        Assert.That(written, Is.InRange(16, 48), "the chunk that was written, the one read meanwhile, and at most the one being read");
        string[] files = Directory.GetFiles(_folder);
        Assert.That(files, Has.Length.EqualTo(written));
        Assert.That(files.Select(file => writer.IndexOf(Path.GetFileName(file))).OrderBy(index => index), Is.EqualTo(Enumerable.Range(0, (int)written).Select(i => (long?)i)));
        foreach (string file in files)
        {
            using MLImage image = MLImage.CreateFromFile(file);
            Assert.That(image.Width, Is.EqualTo(SyntheticModes.Side));
        }
    }

    [Test]
    public void AbandonedTemporaryFilesOfDeadProcessesAreDeletedAndLiveOnesKept()
    {
        using Process finished = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        finished.WaitForExit();
        string dead = Path.Combine(_folder, $".image_00004.png.{finished.Id}.0123456789abcdef0123456789abcdef.tmp");
        string live = Path.Combine(_folder, $".image_00005.png.{Environment.ProcessId}.0123456789abcdef0123456789abcdef.tmp");
        string other = Path.Combine(_folder, $".model.zip.{finished.Id}.0123456789abcdef0123456789abcdef.tmp");
        foreach (string path in new[] { dead, live, other })
        {
            File.WriteAllBytes(path, new byte[] { 1 });
        }

        int deleted = AtomicFile.DeleteAbandonedTemporaryFiles(_folder, "image_*.png");

        Assert.That(deleted, Is.EqualTo(1));
        Assert.That(Directory.GetFiles(_folder), Is.EquivalentTo(new[] { live, other }));
    }

    [TestCase("image_00012.png", 12L)]
    [TestCase("image_1234567.png", 1234567L)]
    [TestCase("image_0012.png", null)]
    [TestCase("image_000012.png", null)]
    [TestCase("image_00012.jpg", null)]
    [TestCase("sample_00012.png", null)]
    public void IndexOfReadsOnlyTheNamesTheWriterWrites(string name, long? index) =>
        Assert.That(new ImageFolderWriter(_folder, "image", ".png").IndexOf(name), Is.EqualTo(index));
}
