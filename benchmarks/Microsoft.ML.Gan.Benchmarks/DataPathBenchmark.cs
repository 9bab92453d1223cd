using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Data;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Benchmarks;

/// <summary>
/// Fit's data path: reading the whole image column into one tensor (ImageColumnReader.ReadAll) against only walking
/// the IDataView's cursor and fetching every vector (the floor any reader pays); then Fit's throughput and memory with
/// the data in memory against streamed, same network and steps, interleaved.
/// </summary>
internal static class DataPathBenchmark
{
    public static void Run(TrainingData data, BenchmarkSettings settings)
    {
        Report.Section("Data path: image column → one [N, 1, 28, 28] tensor (median)");
        Report.Header("images", "ReadAll s", "cursor only s", "ReadAll images/s", "ReadAll / cursor-only time");
        var readAll = new List<double>();
        var cursorOnly = new List<double>();
        for (int r = 0; r < settings.Repeats; r++)
        {
            cursorOnly.Add(CursorOnly(data.View));
            var started = Stopwatch.StartNew();
            using (ImageColumnReader.Create(data.View.Schema, "Image", grayscale: true).ReadAll(data.View))
            {
                readAll.Add(started.Elapsed.TotalSeconds);
            }
        }

        double all = Measurements.Median(readAll), cursor = Measurements.Median(cursorOnly);
        Report.Row(data.Count, all, cursor, data.Count / all, all / cursor);
        InMemoryAgainstStreaming(data, settings);
    }

    private static void InMemoryAgainstStreaming(TrainingData data, BenchmarkSettings settings)
    {
        int steps = settings.MlpSteps;
        Report.Section($"Fit in memory against streamed (Mlp, batch {BenchmarkSettings.BatchSize}, {steps} steps, median of {settings.Repeats})");
        Report.Header("DataLoading", "Fit images/s", "steady images/s", "peak RSS MiB", "peak RSS growth MiB", "peak Tensor.TotalCount growth");
        var results = new Dictionary<TrainingDataMode, List<(RunTiming Timing, long Rss, long RssGrowth, long Tensors)>>
        {
            [TrainingDataMode.InMemory] = new(),
            [TrainingDataMode.Streaming] = new(),
        };
        for (int r = 0; r < settings.Repeats; r++)
        {
            // Alternating which goes first, so neither always inherits the other's freed heap.
            TrainingDataMode[] order = r % 2 == 0
                ? new[] { TrainingDataMode.Streaming, TrainingDataMode.InMemory }
                : new[] { TrainingDataMode.InMemory, TrainingDataMode.Streaming };
            foreach (TrainingDataMode mode in order)
            {
                results[mode].Add(Measure(data, mode, steps));
            }
        }

        foreach ((TrainingDataMode mode, List<(RunTiming Timing, long Rss, long RssGrowth, long Tensors)> runs) in results)
        {
            Report.Row(mode,
                Measurements.Median(runs.ConvertAll(run => run.Timing.TotalImagesPerSecond)),
                Measurements.Median(runs.ConvertAll(run => run.Timing.SteadyImagesPerSecond)),
                Measurements.Median(runs.ConvertAll(run => run.Rss / 1048576.0)),
                Measurements.Median(runs.ConvertAll(run => run.RssGrowth / 1048576.0)),
                Measurements.Median(runs.ConvertAll(run => (double)run.Tensors)));
        }
        Report.Note("RSS and Tensor.TotalCount are sampled every 10 ms during Fit; growth is over the reading taken after a full GC just before Fit. " +
            "The process also holds the benchmark's own copy of the data as a tensor throughout.");
    }

    private static (RunTiming Timing, long Rss, long RssGrowth, long Tensors) Measure(TrainingData data, TrainingDataMode mode, int steps)
    {
        Measurements.Settle();
        long rssBefore = Measurements.ResidentBytes(), tensorsBefore = Tensor.TotalCount;
        long peakRss = rssBefore, peakTensors = tensorsBefore;
        using var done = new ManualResetEventSlim();
        var sampler = new Thread(() =>
        {
            do
            {
                peakRss = System.Math.Max(peakRss, Measurements.ResidentBytes());
                peakTensors = System.Math.Max(peakTensors, Tensor.TotalCount);
            }
            while (!done.Wait(10));
        });
        sampler.Start();
        RunTiming timing = FitRunner.Run(new MLContext(seed: 1), data.View, GanArchitecture.Mlp, GanLoss.NonSaturating, steps, o => o.DataLoading = mode);
        done.Set();
        sampler.Join();
        return (timing, peakRss, peakRss - rssBefore, peakTensors - tensorsBefore);
    }

    private static double CursorOnly(IDataView view)
    {
        var started = Stopwatch.StartNew();
        DataViewSchema.Column column = view.Schema["Image"];
        using DataViewRowCursor cursor = view.GetRowCursor(new[] { column });
        ValueGetter<VBuffer<float>> getter = cursor.GetGetter<VBuffer<float>>(column);
        VBuffer<float> buffer = default;
        while (cursor.MoveNext())
        {
            getter(ref buffer);
        }

        return started.Elapsed.TotalSeconds;
    }
}
