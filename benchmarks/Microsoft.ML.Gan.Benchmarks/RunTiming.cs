namespace Microsoft.ML.Gan.Benchmarks;

/// <summary>
/// One training run: <see cref="TotalSeconds"/> end to end, and <see cref="SteadySeconds"/> for the generator updates after
/// the first <see cref="WarmSteps"/> (setup, data reading and warm-up excluded).
/// </summary>
internal readonly record struct RunTiming(int Steps, double TotalSeconds, double SteadySeconds)
{
    public int WarmSteps => WarmStepsFor(Steps);

    public double TotalImagesPerSecond => (double)Steps * BenchmarkSettings.BatchSize / TotalSeconds;

    public double SteadyImagesPerSecond => (double)(Steps - WarmSteps) * BenchmarkSettings.BatchSize / SteadySeconds;

    /// <summary>A quarter of the run (at least one step) counts as warm-up.</summary>
    public static int WarmStepsFor(int steps) => System.Math.Max(1, steps / 4);
}
