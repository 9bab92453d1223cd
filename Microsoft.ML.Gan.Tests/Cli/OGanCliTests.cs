using System;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Cli;
using Microsoft.ML.Gan.Torch;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Cli;

/// <summary>gan train --trainer ogan, then encode (a TSV that ML.NET reads back), reconstruct and interpolate.</summary>
[TestFixture]
public class OGanCliTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "ogan-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private static CliResult Run(params string[] args) => CliRunner.Run(args);

    [Test]
    public void InterpolateNamesADamagedImageAndItsReasonBeforeLoadingTheModel()
    {
        string good = Microsoft.ML.Gan.Tests.Data.BrokenImages.WriteNoise(Path.Combine(_folder, "good.png"));
        string cut = Microsoft.ML.Gan.Tests.Data.BrokenImages.WriteCutInHalf(Path.Combine(_folder, "cut.png"));

        var result = Run("interpolate", "--model", Path.Combine(_folder, "missing.zip"), "--from", good, "--to", cut, "--out", Path.Combine(_folder, "row.png"));

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.BadArguments), result.ToString());
        Assert.That(result.Error, Does.Contain($"--to: '{cut}' is not a readable image: the file is truncated"));
    }

    [Test]
    public void TrainOGanThenEncodeReconstructAndInterpolate()
    {
        var train = Run("train", "--trainer", "ogan", "--latent-dim", "16", "--correlation-weight", "1", "--generator-correlation-weight", "0.5",
            "--max-steps", "2", "--batch-size", "16", "--log-every", "1", "--output", _folder);
        Assert.That(train.ExitCode, Is.Zero, train.Error);
        Assert.That(train.Output, Does.Contain("O-GAN: correlation weight 1 (generator's update 0.5)").And.Contain("loss GanQp").And.Contain("mean rho"));
        string model = Path.Combine(_folder, "model.zip");

        string tsv = Path.Combine(_folder, "latents.tsv");
        string data = Path.Combine(AppContext.BaseDirectory, "fashion-mnist", "t10k-images-idx3-ubyte.gz");
        var encode = Run("encode", "--model", model, "--images", data, "--count", "20", "--out", tsv);
        Assert.That(encode.ExitCode, Is.Zero, encode.Error);
        var mlContext = new MLContext();
        IDataView codes = mlContext.Data.LoadFromTextFile(tsv, new[]
        {
            new TextLoader.Column("Source", DataKind.String, 0),
            new TextLoader.Column("Latent", DataKind.Single, 1, 16),
        }, hasHeader: true);
        float[][] latents = codes.GetColumn<float[]>("Latent").Take(3).ToArray();
        Assert.That(codes.GetColumn<string>("Source").Count(), Is.EqualTo(20));
        Assert.That(latents.Select(l => l.Length), Has.All.EqualTo(16));
        Assert.That(latents.Select(l => l.Average()), Has.All.EqualTo(0).Within(1e-4), "rows hold N(E(x))");

        string reconstructed = Path.Combine(_folder, "reconstructed");
        var reconstruct = Run("reconstruct", "--model", model, "--images", data, "--count", "3", "--out", reconstructed);
        Assert.That(reconstruct.ExitCode, Is.Zero, reconstruct.Error);
        string[] pngs = Directory.GetFiles(reconstructed, "*.png").OrderBy(f => f, StringComparer.Ordinal).ToArray();
        Assert.That(pngs, Has.Length.EqualTo(3));

        string row = Path.Combine(_folder, "row.png");
        var interpolate = Run("interpolate", "--model", model, "--from", pngs[0], "--to", pngs[1], "--steps", "5", "--out", row);
        Assert.That(interpolate.ExitCode, Is.Zero, interpolate.Error);
        using MLImage grid = MLImage.CreateFromFile(row);
        Assert.That(grid.Width, Is.GreaterThan(5 * 28));
    }

    [Test]
    public void EncodeWithAPlainGanModelIsABadArgument()
    {
        var train = Run("train", "--max-steps", "1", "--batch-size", "16", "--output", _folder);
        Assert.That(train.ExitCode, Is.Zero, train.Error);
        var encode = Run("encode", "--model", Path.Combine(_folder, "model.zip"), "--images", Path.Combine(AppContext.BaseDirectory, "fashion-mnist", "t10k-images-idx3-ubyte.gz"));
        Assert.That(encode.ExitCode, Is.EqualTo(2));
        Assert.That(encode.Error, Does.Contain("no O-GAN"));
    }
}
