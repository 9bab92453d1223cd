using System.Collections.Generic;

namespace Microsoft.ML.Gan.Benchmarks;

/// <summary>Fit against the bare loop, interleaved (Fit, bare, bare, Fit, ...) in one process; medians of throughput and of per-pair ratios.</summary>
internal static class TrainingBenchmark
{
    public static void Run(MLContext context, TrainingData data, BenchmarkSettings settings)
    {
        Report.Section("Training throughput: GanTrainer.Fit vs a bare TorchSharp loop (batch 64, images/s, median)");
        Report.Note($"Data: {data.Path} ({data.Count} images). {settings.Repeats} interleaved repeats of each. End to end: Fit from the call (IDataView read included), " +
            "the bare loop from module creation (data already one tensor). Steady: the steps after the first quarter of the run.");
        Report.Header("model", "loss", "steps/run", "Fit end-to-end", "bare end-to-end", "ratio end-to-end", "Fit steady", "bare steady", "ratio steady");
        Compare(context, data, settings, GanArchitecture.Dcgan, GanLoss.NonSaturating, settings.DcganSteps);
        Compare(context, data, settings, GanArchitecture.Mlp, GanLoss.NonSaturating, settings.MlpSteps);
        Compare(context, data, settings, GanArchitecture.Dcgan, GanLoss.WassersteinGradientPenalty, settings.GradientPenaltyDcganSteps);
        Compare(context, data, settings, GanArchitecture.Mlp, GanLoss.WassersteinGradientPenalty, settings.MlpSteps);
        Report.Note("");
        Report.Note("Ratios are Fit / bare throughput, the median over interleaved pairs. Goal: ≥ 0.97.");
        Report.Note("O-GAN: its step cost against the same networks with CorrelationWeight = 0 is measured by --only ogan (docs/o-gan.md).");
    }

    private static void Compare(MLContext context, TrainingData data, BenchmarkSettings settings, GanArchitecture architecture, GanLoss loss, int steps)
    {
        if (settings.Architecture is GanArchitecture only && only != architecture)
        {
            return;
        }
        // Warm-up: first calls pay JIT and libtorch's one-time set-up.
        FitRunner.Run(context, data.View, architecture, loss, System.Math.Min(steps, 4));
        BareTrainingLoop.Run(data.Images, architecture, loss, System.Math.Min(steps, 4), BenchmarkSettings.BatchSize, BenchmarkSettings.Seed);

        var fit = new List<RunTiming>();
        var bare = new List<RunTiming>();
        for (int r = 0; r < settings.Repeats; r++)
        {
            if (r % 2 == 0)
            {
                fit.Add(FitRunner.Run(context, data.View, architecture, loss, steps));
                bare.Add(BareTrainingLoop.Run(data.Images, architecture, loss, steps, BenchmarkSettings.BatchSize, BenchmarkSettings.Seed));
            }
            else
            {
                bare.Add(BareTrainingLoop.Run(data.Images, architecture, loss, steps, BenchmarkSettings.BatchSize, BenchmarkSettings.Seed));
                fit.Add(FitRunner.Run(context, data.View, architecture, loss, steps));
            }
        }

        var totalRatios = new List<double>();
        var steadyRatios = new List<double>();
        for (int r = 0; r < fit.Count; r++)
        {
            totalRatios.Add(fit[r].TotalImagesPerSecond / bare[r].TotalImagesPerSecond);
            steadyRatios.Add(fit[r].SteadyImagesPerSecond / bare[r].SteadyImagesPerSecond);
        }

        Report.Row(architecture, loss, steps,
            Measurements.Median(fit.ConvertAll(t => t.TotalImagesPerSecond)), Measurements.Median(bare.ConvertAll(t => t.TotalImagesPerSecond)), Measurements.Median(totalRatios),
            Measurements.Median(fit.ConvertAll(t => t.SteadyImagesPerSecond)), Measurements.Median(bare.ConvertAll(t => t.SteadyImagesPerSecond)), Measurements.Median(steadyRatios));
    }
}
