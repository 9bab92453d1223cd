using System.Collections.Generic;
using Microsoft.ML.Gan.Networks;

namespace Microsoft.ML.Gan.Benchmarks;

/// <summary>
/// The residual networks' cost, 28×28 grayscale, batch 64: GanTrainer.Fit against a bare TorchSharp loop of the same
/// networks (the ≥ 0.97× goal the DCGAN meets), and the ResNet's step against the DCGAN's, all four runs interleaved
/// (Fit ResNet, bare ResNet, bare DCGAN, Fit DCGAN, then the reverse order) in one process.
/// </summary>
internal static class ResNetBenchmark
{
    public static void Run(MLContext context, TrainingData data, BenchmarkSettings settings)
    {
        int steps = settings.DcganSteps;
        Report.Section($"ResNet: Fit vs a bare loop, and its step vs the DCGAN's (28×28, batch {BenchmarkSettings.BatchSize}, {steps} steps × {settings.Repeats} interleaved repeats, median)");
        foreach (GanArchitecture architecture in new[] { GanArchitecture.ResNet, GanArchitecture.Dcgan })
        {
            NetworkSpec spec = BareTrainingLoop.Spec(architecture, GanLoss.NonSaturating);
            NetworkSize size = NetworkSize.Of(spec);
            Report.Note($"{architecture}: {size.GeneratorParameters:N0} weights in G, {size.Parameters - size.GeneratorParameters:N0} in D, spectral norm in D {spec.SpectralNormalization}.");
            // Warm-up: first calls pay JIT and libtorch's one-time set-up.
            FitRunner.Run(context, data.View, architecture, GanLoss.NonSaturating, System.Math.Min(steps, 4));
            BareTrainingLoop.Run(data.Images, architecture, GanLoss.NonSaturating, System.Math.Min(steps, 4), BenchmarkSettings.BatchSize, BenchmarkSettings.Seed);
        }

        var runs = new Dictionary<(GanArchitecture, bool Fit), List<RunTiming>>();
        var order = new List<(GanArchitecture Architecture, bool Fit)>
        {
            (GanArchitecture.ResNet, true), (GanArchitecture.ResNet, false), (GanArchitecture.Dcgan, false), (GanArchitecture.Dcgan, true),
        };
        foreach (var key in order)
        {
            runs[key] = new List<RunTiming>();
        }
        for (int r = 0; r < settings.Repeats; r++)
        {
            foreach (var (architecture, fit) in order)
            {
                RunTiming timing = fit
                    ? FitRunner.Run(context, data.View, architecture, GanLoss.NonSaturating, steps)
                    : BareTrainingLoop.Run(data.Images, architecture, GanLoss.NonSaturating, steps, BenchmarkSettings.BatchSize, BenchmarkSettings.Seed);
                System.Console.Error.WriteLine($"round {r + 1}/{settings.Repeats}: {architecture} {(fit ? "Fit" : "bare")}: {timing.SteadyImagesPerSecond:F0} images/s steady");
                runs[(architecture, fit)].Add(timing);
            }
            order.Reverse();
        }

        Report.Header("model", "Fit steady (images/s)", "bare steady (images/s)", "Fit / bare", "Fit end-to-end / bare", "ms per step (Fit)", "step × DCGAN's (Fit)", "step × DCGAN's (bare)");
        foreach (GanArchitecture architecture in new[] { GanArchitecture.ResNet, GanArchitecture.Dcgan })
        {
            List<RunTiming> fit = runs[(architecture, true)], bare = runs[(architecture, false)];
            List<RunTiming> dcganFit = runs[(GanArchitecture.Dcgan, true)], dcganBare = runs[(GanArchitecture.Dcgan, false)];
            var steady = new List<double>();
            var total = new List<double>();
            var fitVsDcgan = new List<double>();
            var bareVsDcgan = new List<double>();
            for (int r = 0; r < fit.Count; r++)
            {
                steady.Add(fit[r].SteadyImagesPerSecond / bare[r].SteadyImagesPerSecond);
                total.Add(fit[r].TotalImagesPerSecond / bare[r].TotalImagesPerSecond);
                fitVsDcgan.Add(dcganFit[r].SteadyImagesPerSecond / fit[r].SteadyImagesPerSecond);
                bareVsDcgan.Add(dcganBare[r].SteadyImagesPerSecond / bare[r].SteadyImagesPerSecond);
            }
            double fitSteady = Measurements.Median(fit.ConvertAll(t => t.SteadyImagesPerSecond));
            Report.Row(architecture, fitSteady, Measurements.Median(bare.ConvertAll(t => t.SteadyImagesPerSecond)), Measurements.Median(steady),
                Measurements.Median(total), 1000.0 * BenchmarkSettings.BatchSize / fitSteady, Measurements.Median(fitVsDcgan), Measurements.Median(bareVsDcgan));
        }
        Report.Note("");
        Report.Note("Fit / bare: the median over interleaved pairs; goal ≥ 0.97. Step × DCGAN's: the step time over the DCGAN's in the same round.");
    }
}
