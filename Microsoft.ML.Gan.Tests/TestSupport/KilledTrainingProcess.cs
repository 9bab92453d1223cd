using System;
using System.Diagnostics;
using Microsoft.ML.Gan.Tests.TestData;

namespace Microsoft.ML.Gan.Tests.TestSupport;

/// <summary>
/// A training run in a child process (the test assembly run as <c>train-until-killed DIR STEP</c>) that is killed with
/// SIGKILL once it reaches generator update STEP: no finally block, flush or dispose runs in it, as after a crash.
/// </summary>
internal static class KilledTrainingProcess
{
    public const string Command = "train-until-killed";
    private const string Ready = "ready-to-be-killed";

    /// <summary>The run both sides train: a tiny MLP on 8×8 images, checkpointed every 10 updates, with a moving average.</summary>
    public static GanTrainer.Options Options(string checkpointDirectory, Action<GanTrainingProgress>? progress = null) => new()
    {
        Architecture = GanArchitecture.Mlp, LatentDimension = 8, BatchSize = 32, Epochs = 100, MaxSteps = 40, LogEveryNSteps = 7,
        Seed = 11, GeneratorEmaDecay = 0.9, GeneratorEmaWarmupSteps = 5, CheckpointDirectory = checkpointDirectory,
        CheckpointEveryNSteps = 10, ProgressCallback = progress,
    };

    public static IDataView Data(MLContext mlContext) => SyntheticModes.Create(mlContext, 256);

    /// <summary>Starts the child, waits until it has trained <paramref name="killAtStep"/> updates, and kills it with SIGKILL.</summary>
    public static void TrainAndKill(string checkpointDirectory, int killAtStep)
    {
        using Process process = StartAndWait(checkpointDirectory, killAtStep);
        Kill(process);
    }

    /// <summary>
    /// Starts the child and returns it once it has trained <paramref name="killAtStep"/> updates: it then waits, still
    /// inside Fit, until <see cref="Kill"/> ends it.
    /// </summary>
    public static Process StartAndWait(string checkpointDirectory, int killAtStep)
    {
        Process process = TestAssemblyProcess.Start(null, Command, checkpointDirectory, killAtStep.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            string? line;
            while ((line = process.StandardOutput.ReadLine()) != null && line != Ready)
            {
            }
            if (line == null)
            {
                process.WaitForExit(10_000);
                throw new InvalidOperationException($"The training child exited ({process.ExitCode}) before update {killAtStep}: {stderr.Result}");
            }
            return process;
        }
        catch
        {
            Kill(process);
            process.Dispose();
            throw;
        }
    }

    /// <summary>Kills the child with SIGKILL (what Process.Kill sends on Unix: it gets no chance to clean up) and waits for it to end.</summary>
    public static void Kill(Process process)
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit(30_000);
    }

    /// <summary>The child's side: trains, and at the given update announces itself and blocks until killed.</summary>
    public static int Run(string[] args)
    {
        string directory = args[1];
        int killAtStep = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
        var mlContext = new MLContext(seed: 1);
        GanTrainer.Options options = Options(directory, progress =>
        {
            if (progress.Step == killAtStep && !progress.IsEpochEnd)
            {
                Console.WriteLine(Ready);
                Console.Out.Flush();
                Console.In.ReadLine();
                Environment.FailFast("The parent should have killed this process.");
            }
        });
        mlContext.Gan().Trainers.Gan(options).Fit(Data(mlContext)).Dispose();
        return 3;
    }
}
