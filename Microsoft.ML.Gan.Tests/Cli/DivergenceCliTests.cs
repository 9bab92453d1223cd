using System;
using System.Linq;
using System.IO;
using Microsoft.ML.Gan.Cli;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Cli;

/// <summary>
/// <c>gan train</c> with absurd learning rates: on Fashion-MNIST an MLP at 1e3 blows up with every loss finite (loss_D
/// near 1e13 at the first log point), which used to end with exit 0 and a model.
/// </summary>
[TestFixture]
public class DivergenceCliTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder() => Directory.CreateDirectory(_folder = Path.Combine(Path.GetTempPath(), "gan-cli-diverge-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private CliResult Train(params string[] extra) => CliRunner.Run(new[]
    {
        "train", "--architecture", "Mlp", "--max-steps", "20", "--batch-size", "16", "--log-every", "10", "--progress", "Lines",
        "--lr-g", "1e3", "--lr-d", "1e3", "--output", _folder,
    }.Concat(extra).ToArray());

    [Test]
    public void FiniteBlowUpFailsTheRunWithoutAModel()
    {
        CliResult result = Train();
        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Failure), result.Output);
        Assert.That(result.Error, Does.Contain("GAN training diverged between generator updates 1 and 10").And.Contain("finite, but beyond"));
        Assert.That(File.Exists(Path.Combine(_folder, "model.zip")), Is.False);
    }

    [Test]
    public void WarningModeWarnsAndFinishes()
    {
        CliResult result = Train("--finite-divergence", "Warning");
        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Output + result.Error, Does.Contain("finite, but beyond").And.Contain("Training goes on"));
        Assert.That(File.Exists(Path.Combine(_folder, "model.zip")));
    }
}
