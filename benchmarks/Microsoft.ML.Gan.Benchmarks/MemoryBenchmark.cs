using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Benchmarks;

/// <summary>
/// Live tensors (torch.Tensor.TotalCount) and RSS during training, read at Fit's own log points through MLContext.Log
/// (which runs on the training thread), and before/after generating many images.
/// </summary>
internal static partial class MemoryBenchmark
{
    public static void Run(TrainingData data, BenchmarkSettings settings)
    {
        Report.Section("Memory: live tensors and RSS");
        Report.Header("phase", "model", "at", "Tensor.TotalCount", "RSS MiB", "TotalCount change", "RSS growth");
        foreach (GanArchitecture architecture in new[] { GanArchitecture.Mlp, GanArchitecture.Dcgan })
        {
            int last = architecture == GanArchitecture.Mlp ? settings.MemoryLastStep : settings.MemoryFirstStep * 2;
            Training(data, architecture, settings.MemoryFirstStep, last);
        }

        Generation(data, settings.GenerateMemoryImages);
        Report.Note("Readings are taken after a full GC with finalizers run. Goal: TotalCount identical, RSS growth < 5%.");
    }

    private static void Training(TrainingData data, GanArchitecture architecture, int first, int last)
    {
        var context = new MLContext(seed: 1);
        var readings = new Dictionary<int, (long Tensors, long Rss)>();
        context.Log += (_, e) =>
        {
            Match match = StepLine().Match(e.Message);
            if (match.Success)
            {
                int step = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
                if (step == first || step == last)
                {
                    Measurements.Settle();
                    readings[step] = (Tensor.TotalCount, Measurements.ResidentBytes());
                }
            }
        };
        GanTrainer.Options options = FitRunner.Options(architecture, GanLoss.NonSaturating, last);
        options.LogEveryNSteps = first;
        using (context.Gan().Trainers.Gan(options).Fit(data.View))
        {
        }

        Print("training", architecture, "step " + first, "step " + last, readings[first], readings[last]);
    }

    private static void Generation(TrainingData data, int count)
    {
        var context = new MLContext(seed: 1);
        using GanTransformer model = context.Gan().Trainers.Gan(FitRunner.Options(GanArchitecture.Mlp, GanLoss.NonSaturating, 1)).Fit(data.View);
        GenerationBenchmark.ReadImages(model, 2_000);
        Measurements.Settle();
        (long, long) before = (Tensor.TotalCount, Measurements.ResidentBytes());
        GenerationBenchmark.ReadImages(model, count);
        Measurements.Settle();
        (long, long) after = (Tensor.TotalCount, Measurements.ResidentBytes());
        Print("generation", GanArchitecture.Mlp, "before", $"after {count:N0} images", before, after);
    }

    private static void Print(string phase, GanArchitecture architecture, string firstLabel, string lastLabel, (long Tensors, long Rss) a, (long Tensors, long Rss) b)
    {
        Report.Row(phase, architecture, firstLabel, a.Tensors, a.Rss / 1048576.0, "", "");
        Report.Row(phase, architecture, lastLabel, b.Tensors, b.Rss / 1048576.0, b.Tensors - a.Tensors,
            ((double)b.Rss / a.Rss - 1).ToString("+0.0%;-0.0%;0.0%", CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"step (\d+) epoch")]
    private static partial Regex StepLine();
}
