using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace Microsoft.ML.Gan.Benchmarks;

/// <summary>
/// What a checkpoint costs (issue 7): the default 28×28 DCGAN with a generator EMA checkpoints every few steps, and the
/// extra time of a step that writes one (temp file, fsync, rename, pruning) over a step that does not is the write
/// time; also the file size and the overhead at the default interval.
/// </summary>
internal static class CheckpointBenchmark
{
    private const int Every = 5;

    public static void Run(MLContext context, TrainingData data, BenchmarkSettings settings)
    {
        int steps = settings.Quick ? 30 : 120;
        string directory = Path.Combine(Path.GetTempPath(), "gan-checkpoint-benchmark-" + Environment.ProcessId);
        GanTrainer.Options options = FitRunner.Options(GanArchitecture.Dcgan, GanLoss.NonSaturating, steps);
        options.GeneratorEmaDecay = 0.999;
        options.CheckpointDirectory = directory;
        options.CheckpointEveryNSteps = Every;
        var stepSeconds = new Dictionary<int, double>();
        double previous = 0;
        options.ProgressCallback = progress =>
        {
            if (!progress.IsEpochEnd)
            {
                double now = progress.Elapsed.TotalSeconds;
                stepSeconds[progress.Step] = now - previous;
                previous = now;
            }
        };
        try
        {
            using (context.Gan().Trainers.Gan(options).Fit(data.View))
            {
            }
            // Step 1 builds kernels and the first steps still warm up; the final step also writes the final checkpoint.
            var steady = stepSeconds.Where(pair => pair.Key > 2 * Every && pair.Key < steps).ToList();
            double withWrite = Measurements.Median(steady.Where(pair => pair.Key % Every == 0).Select(pair => pair.Value));
            double without = Measurements.Median(steady.Where(pair => pair.Key % Every != 0).Select(pair => pair.Value));
            long bytes = new DirectoryInfo(directory).GetFiles().Max(file => file.Length);
            double write = withWrite - without;
            int defaultEvery = new GanTrainer.Options().CheckpointEveryNSteps;

            Report.Section($"Checkpoints (DCGAN 28×28 with EMA, every {Every} steps over {steps} steps, kept {options.KeepCheckpoints})");
            Report.Header("measure", "value");
            Report.Row("checkpoint file (MB)", bytes / 1e6);
            Report.Row("step without a checkpoint (ms, median)", without * 1000);
            Report.Row("step that writes one (ms, median)", withWrite * 1000);
            Report.Row("write time (ms)", write * 1000);
            Report.Row($"overhead at the default interval ({defaultEvery} steps)", (write / (defaultEvery * without)).ToString("P2", CultureInfo.InvariantCulture));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
