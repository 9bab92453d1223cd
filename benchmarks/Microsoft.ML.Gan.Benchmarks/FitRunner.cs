using System;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Microsoft.ML.Gan.Benchmarks;

/// <summary>
/// Times <c>GanTrainer.Fit</c> end to end (reading the IDataView, building the networks, training, logging, history) and
/// in its steady state: from its log line at step <see cref="RunTiming.WarmSteps"/> to the one at the last step, read
/// through MLContext.Log, which ML.NET raises on the training thread.
/// </summary>
internal static partial class FitRunner
{
    public static GanTrainer.Options Options(GanArchitecture architecture, GanLoss loss, int steps) => new()
    {
        ImageColumnName = "Image",
        Grayscale = true,
        Architecture = architecture,
        Loss = loss,
        BatchSize = BenchmarkSettings.BatchSize,
        Epochs = 1_000,
        MaxSteps = steps,
        Seed = BenchmarkSettings.Seed,
    };

    /// <summary>One Fit of <paramref name="steps"/> generator updates; <paramref name="configure"/> may change the options further.</summary>
    public static RunTiming Run(MLContext context, IDataView data, GanArchitecture architecture, GanLoss loss, int steps,
        Action<GanTrainer.Options>? configure = null)
    {
        int warm = RunTiming.WarmStepsFor(steps);
        GanTrainer.Options options = Options(architecture, loss, steps);
        options.LogEveryNSteps = warm;
        configure?.Invoke(options);
        var clock = Stopwatch.StartNew();
        double atWarm = double.NaN, atLast = double.NaN;
        EventHandler<LoggingEventArgs> listener = (_, e) =>
        {
            Match match = StepLine().Match(e.Message);
            if (match.Success)
            {
                int step = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
                if (step == warm)
                {
                    atWarm = clock.Elapsed.TotalSeconds;
                }
                else if (step == steps)
                {
                    atLast = clock.Elapsed.TotalSeconds;
                }
            }
        };
        context.Log += listener;
        try
        {
            using GanTransformer model = context.Gan().Trainers.Gan(options).Fit(data);
            return new RunTiming(steps, clock.Elapsed.TotalSeconds, atLast - atWarm);
        }
        finally
        {
            context.Log -= listener;
        }
    }

    [GeneratedRegex(@"step (\d+) epoch")]
    private static partial Regex StepLine();
}
