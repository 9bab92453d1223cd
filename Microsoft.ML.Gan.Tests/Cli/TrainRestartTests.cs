using System;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Cli;
using Microsoft.ML.Gan.Tests.TestData;
using Microsoft.ML.Gan.Tests.TestSupport;
using Microsoft.ML.Gan.Training.Checkpoints;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Cli;

/// <summary>
/// The restart loop a Kubernetes Job or a systemd unit runs (<c>gan train ... --checkpoint-dir DIR --resume</c>, again
/// and again), and the signals those send: SIGTERM and Ctrl+C stop after the current step with a checkpoint of it.
/// </summary>
[TestFixture]
public class TrainRestartTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder() => Directory.CreateDirectory(_folder = Path.Combine(Path.GetTempPath(), "gan-cli-restart-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private string[] TrainArguments(string output, int steps, params string[] extra) =>
        new[] { "train", "--architecture", "Mlp", "--max-steps", steps.ToString(), "--batch-size", "16", "--log-every", "1", "--progress", "lines",
            "--seed", "3", "--output", output, "--checkpoint-dir", Path.Combine(output, "ckpt"), "--checkpoint-every", "1000" }.Concat(extra).ToArray();

    [Test]
    public void RunningTheRestartLoopAgainAfterTheRunFinishedExitsZeroAndKeepsModelAndSamples()
    {
        var first = CliRunner.Run(TrainArguments(_folder, 4, "--resume"));
        Assert.That(first.ExitCode, Is.Zero, first.ToString());
        float[] samples = Pixels(Path.Combine(_folder, "samples.png"));
        float[] generated = Generate(Path.Combine(_folder, "model.zip"));

        var again = CliRunner.Run(TrainArguments(_folder, 4, "--resume"));

        Assert.That(again.ExitCode, Is.Zero, again.ToString());
        Assert.That(again.Output, Does.Contain("Resumed from").And.Contain("generator update 4"));
        Assert.That(Pixels(Path.Combine(_folder, "samples.png")), Is.EqualTo(samples));
        Assert.That(Generate(Path.Combine(_folder, "model.zip")), Is.EqualTo(generated));
    }

    [Test]
    public void RestartAfterAStopBetweenTheLastCheckpointAndTheModelWritesModelAndSamples()
    {
        var first = CliRunner.Run(TrainArguments(_folder, 4, "--resume"));
        Assert.That(first.ExitCode, Is.Zero, first.ToString());
        float[] generated = Generate(Path.Combine(_folder, "model.zip"));
        // What a run killed right after its final checkpoint leaves: the checkpoint, no model, no samples.
        File.Delete(Path.Combine(_folder, "model.zip"));
        File.Delete(Path.Combine(_folder, "samples.png"));
        Directory.Delete(Path.Combine(_folder, "samples"), recursive: true);

        var restarted = CliRunner.Run(TrainArguments(_folder, 4, "--resume"));

        Assert.That(restarted.ExitCode, Is.Zero, restarted.ToString());
        Assert.That(Generate(Path.Combine(_folder, "model.zip")), Is.EqualTo(generated));
        // samples.png is what 'gan generate --seed 3 --count 64 --grid' draws from the model, as after a full run.
        string grid = Path.Combine(_folder, "grid.png");
        var generate = CliRunner.Run("generate", "--model", Path.Combine(_folder, "model.zip"), "--seed", "3", "--count", "64",
            "--out", Path.Combine(_folder, "generated"), "--grid", grid);
        Assert.That(generate.ExitCode, Is.Zero, generate.ToString());
        Assert.That(Pixels(Path.Combine(_folder, "samples.png")), Is.EqualTo(Pixels(grid)));
    }

    [Test]
    public void SigtermStopsAfterTheCurrentStepWithACheckpointThatResumesExactly()
    {
        string uninterrupted = Path.Combine(_folder, "uninterrupted"), stopped = Path.Combine(_folder, "stopped");
        var whole = CliRunner.Run(TrainArguments(uninterrupted, 200));
        Assert.That(whole.ExitCode, Is.Zero, whole.ToString());

        (int exitCode, string output, string error) = SignalAfterStep(TrainArguments(stopped, 200), GanProcess.SigTerm);

        Assert.That(exitCode, Is.EqualTo(ExitCodes.Terminated), error);
        Assert.That(error, Does.Contain("SIGTERM: stopping after the current step"));
        string[] checkpoints = Directory.GetFiles(Path.Combine(stopped, "ckpt"));
        Assert.That(checkpoints, Has.Length.EqualTo(1), "the only checkpoint is the one written on SIGTERM (--checkpoint-every 1000)");
        int step = int.Parse(Path.GetFileNameWithoutExtension(checkpoints[0])["checkpoint-".Length..]);
        Assert.That(step, Is.InRange(5, 199));
        Assert.That(output, Does.Contain($"step {step}/200").And.Not.Contain($"step {step + 1}/200"), "stopped after the step in progress");
        Assert.That(error, Does.Contain($"cancelled at generator update {step} of 200").And.Contain(checkpoints[0]));
        Assert.That(File.Exists(Path.Combine(stopped, "model.zip")), Is.False, "a stopped run writes no model");

        var resumed = CliRunner.Run(TrainArguments(stopped, 200, "--resume"));
        Assert.That(resumed.ExitCode, Is.Zero, resumed.ToString());
        Assert.That(CheckpointFile.Read(Newest(stopped)), Is.EqualTo(CheckpointFile.Read(Newest(uninterrupted))), "final checkpoints differ");
        Assert.That(Generate(Path.Combine(stopped, "model.zip")), Is.EqualTo(Generate(Path.Combine(uninterrupted, "model.zip"))));
    }

    [Test]
    public void CtrlCStopsAfterTheCurrentStepWithExitCode130()
    {
        string[] arguments = { "train", "--architecture", "Mlp", "--max-steps", "100000", "--epochs", "1000", "--batch-size", "16", "--log-every", "1",
            "--progress", "lines", "--output", _folder };
        (int exitCode, _, string error) = SignalAfterStep(arguments, GanProcess.SigInt);

        Assert.That(exitCode, Is.EqualTo(ExitCodes.Interrupted), error);
        Assert.That(error, Does.Contain("Ctrl+C: stopping after the current step").And.Contain("cancelled at generator update"));
        Assert.That(File.Exists(Path.Combine(_folder, "model.zip")), Is.False);
    }

    private (int ExitCode, string Output, string Error) SignalAfterStep(string[] arguments, int signal)
    {
        using GanProcess gan = GanProcess.Start(_folder, arguments);
        gan.WaitForLine(line => line.StartsWith("step 5/", StringComparison.Ordinal));
        gan.Signal(signal);
        return gan.WaitForExit();
    }

    private static string Newest(string output) => Directory.GetFiles(Path.Combine(output, "ckpt")).Max(StringComparer.Ordinal)!;

    private static float[] Generate(string modelPath)
    {
        var mlContext = new MLContext(seed: 1);
        mlContext.Gan();
        using var model = (GanTransformer)mlContext.Model.Load(modelPath, out _);
        return GeneratedImages.ReadGray(model.Generate(8, seed: 5)).SelectMany(image => image).ToArray();
    }

    private static float[] Pixels(string path)
    {
        using MLImage image = MLImage.CreateFromFile(path);
        return GeneratedImages.ToGray(image);
    }
}
