using System.Collections.Generic;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Benchmarks;

/// <summary>Fit throughput with torch.set_num_threads(1) and (2), interleaved; the library sets no thread count itself.</summary>
internal static class ThreadsBenchmark
{
    public static void Run(MLContext context, TrainingData data, BenchmarkSettings settings)
    {
        int defaultThreads = get_num_threads();
        Report.Section("Threads: Fit steady throughput by torch.set_num_threads (images/s, median)");
        Report.Note($"libtorch's default here: {defaultThreads} thread(s) (System.Environment.ProcessorCount = {System.Environment.ProcessorCount}).");
        Report.Header("model", "1 thread", "2 threads", "2 / 1");
        try
        {
            Measure(context, data, settings, GanArchitecture.Dcgan, settings.DcganSteps);
            Measure(context, data, settings, GanArchitecture.Mlp, settings.MlpSteps);
        }
        finally
        {
            set_num_threads(defaultThreads);
        }
    }

    private static void Measure(MLContext context, TrainingData data, BenchmarkSettings settings, GanArchitecture architecture, int steps)
    {
        var rates = new Dictionary<int, List<double>> { [1] = new(), [2] = new() };
        for (int r = 0; r < settings.Repeats; r++)
        {
            foreach (int threads in r % 2 == 0 ? new[] { 1, 2 } : new[] { 2, 1 })
            {
                set_num_threads(threads);
                rates[threads].Add(FitRunner.Run(context, data.View, architecture, GanLoss.NonSaturating, steps).SteadyImagesPerSecond);
            }
        }

        double one = Measurements.Median(rates[1]), two = Measurements.Median(rates[2]);
        Report.Row(architecture, one, two, two / one);
    }
}
