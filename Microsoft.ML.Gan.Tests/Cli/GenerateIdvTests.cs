using System;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Tests.TestData;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Cli;

/// <summary><c>gan generate --format idv</c>: one ML.NET binary IDataView file per shard instead of a file per image.</summary>
[TestFixture]
public class GenerateIdvTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder() => Directory.CreateDirectory(_folder = Path.Combine(Path.GetTempPath(), "gan-generate-idv-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void TheIdvFileLoadsInMlNetWithThePngsPixelsIndicesAndShape()
    {
        string model = GenerationModelFiles.Save(Path.Combine(_folder, "model.zip"));
        string idv = Path.Combine(_folder, "idv"), png = Path.Combine(_folder, "png");
        string[] shard = { "--model", model, "--count", "300", "--seed", "3", "--start-index", "10", "--progress", "none" };

        CliResult written = CliRunner.Run(new[] { "generate", "--format", "idv", "--output", idv }.Concat(shard).ToArray());
        Assert.That(written.ExitCode, Is.Zero, written.ToString());
        Assert.That(CliRunner.Run(new[] { "generate", "--output", png }.Concat(shard).ToArray()).ExitCode, Is.Zero);

        string file = Path.Combine(idv, "images_00010-00309.idv");
        Assert.That(Directory.GetFiles(idv).Select(Path.GetFileName), Is.EquivalentTo(new[] { "images_00010-00309.idv", "gan-generate.json" }));
        var mlContext = new MLContext(seed: 1);
        IDataView loaded = mlContext.Data.LoadFromBinary(file);
        DataViewSchema.Column pixels = loaded.Schema["Pixels"];
        Assert.That(pixels.Type, Is.EqualTo(new VectorDataViewType(NumberDataViewType.Byte, 64)));
        VBuffer<int> shape = default;
        pixels.Annotations.GetValue("ImageShape", ref shape);
        Assert.That(shape.DenseValues(), Is.EqualTo(new[] { 1, 8, 8 }));
        long[] indices = loaded.GetColumn<long>("Index").ToArray();
        Assert.That(indices, Is.EqualTo(Enumerable.Range(10, 300).Select(i => (long)i)));
        int row = 0;
        foreach (VBuffer<byte> vector in loaded.GetColumn<VBuffer<byte>>(pixels))
        {
            using MLImage image = MLImage.CreateFromFile(Path.Combine(png, $"image_{indices[row]:D5}.png"));
            byte[] gray = Enumerable.Range(0, 64).Select(i => image.Pixels[i * 4]).ToArray();
            Assert.That(vector.DenseValues(), Is.EqualTo(gray), $"row {row}");
            row++;
        }
        Assert.That(row, Is.EqualTo(300));

        DateTime writtenAt = File.GetLastWriteTimeUtc(file);
        CliResult again = CliRunner.Run(new[] { "generate", "--format", "idv", "--output", idv, "--skip-existing" }.Concat(shard).ToArray());
        Assert.That(again.ExitCode, Is.Zero, again.ToString());
        Assert.That(again.Output, Does.Contain("Wrote 0 images").And.Contain("300 were already there"));
        Assert.That(File.GetLastWriteTimeUtc(file), Is.EqualTo(writtenAt));
    }
}
