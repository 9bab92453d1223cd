using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Data;

namespace Microsoft.ML.Gan.Benchmarks;

/// <summary>
/// <c>quality</c>: every <see cref="GanMetrics"/> against the Fashion-MNIST test set for our DCGAN after a fixed number of
/// generator steps on the 60k training set, with and without the generator's moving average, for each seed; beside the
/// floor (real training images), the ceiling (an untrained generator) and, when given, samples of the plain PyTorch
/// DCGAN (benchmarks/pytorch/dcgan_samples.py) trained for the same number of steps.
/// </summary>
/// <remarks>
/// <c>quality [--steps N] [--seeds 1,2|none] [--ema 0.999] [--samples N] [--classifier PATH] [--pytorch-samples A.idx,B.idx] [--grid PATH] [--skip-baselines]
/// [--g-lr R] [--d-lr R] [--beta1 B] [--beta2 B] [--loss NAME] [--spectral-norm] [--truncation none,1.5,1] [--skip-memorisation]</c>; <c>--g-lr</c> …
/// <c>--spectral-norm</c> change our trainer's options from the defaults; <c>--truncation</c> judges each of our generators once per latent truncation threshold (none: untruncated);
/// <c>--skip-memorisation</c> leaves out the 60k training images' features and neighbours, which saves time per row.
/// </remarks>
internal static class QualityBenchmark
{
    private const int GridSide = 8;

    public static void Run(string[] args)
    {
        int steps = BenchmarkArguments.Int(args, "--steps", 1000);
        int samples = BenchmarkArguments.Int(args, "--samples", 10_000);
        double emaDecay = BenchmarkArguments.Double(args, "--ema", 0.999);
        // --seeds none: judge only the PyTorch sample files (ours are deterministic per seed and can be judged separately).
        string seedList = BenchmarkArguments.String(args, "--seeds") ?? BenchmarkSettings.Seed.ToString(CultureInfo.InvariantCulture);
        int[] seeds = seedList == "none" ? Array.Empty<int>() : seedList.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        string[] pytorchFiles = BenchmarkArguments.String(args, "--pytorch-samples")?.Split(',') ?? Array.Empty<string>();
        string classifierPath = BenchmarkArguments.String(args, "--classifier", Path.Combine(Path.GetTempPath(), "gan-fashion-judge.zip"));
        string? gridPath = BenchmarkArguments.String(args, "--grid");
        bool baselines = !BenchmarkArguments.Flag(args, "--skip-baselines");
        bool memorisation = !BenchmarkArguments.Flag(args, "--skip-memorisation");
        double?[] truncations = (BenchmarkArguments.String(args, "--truncation") ?? "none").Split(',')
            .Select(t => t == "none" ? (double?)null : double.Parse(t, CultureInfo.InvariantCulture)).ToArray();
        var defaults = new GanTrainer.Options();
        var recipe = new Recipe(
            BenchmarkArguments.Double(args, "--g-lr", defaults.GeneratorLearningRate),
            BenchmarkArguments.Double(args, "--d-lr", defaults.DiscriminatorLearningRate),
            BenchmarkArguments.Double(args, "--beta1", defaults.Beta1),
            BenchmarkArguments.Double(args, "--beta2", defaults.Beta2),
            Enum.Parse<GanLoss>(BenchmarkArguments.String(args, "--loss", defaults.Loss.ToString()), ignoreCase: true),
            BenchmarkArguments.Flag(args, "--spectral-norm"));
        var total = Stopwatch.StartNew();
        var context = new MLContext(seed: 1);
        var fashion = new FashionMnist(context);

        Report.Section($"Quality: DCGAN ({recipe.Describe(defaults)}) after {steps} generator steps on the 60k training set, {samples} samples, against the 10k test set");
        using ImageClassifierTransformer classifier = fashion.Classifier(classifierPath);

        var rows = new List<(string Name, string Group, Func<IDataView> Generated)>();
        if (baselines)
        {
            rows.Add(("floor: real training images", "floor", () => context.Data.TakeRows(context.Data.ShuffleRows(fashion.Train, seed: 3), samples)));
        }
        var models = new List<GanTransformer>();
        var grids = new List<IDataView>();
        foreach (int seed in seeds)
        {
            GanTransformer plain = Train(context, fashion.Train, recipe, steps, seed, emaDecay: null);
            models.Add(plain);
            foreach (double? truncation in truncations)
            {
                string suffix = truncation is null ? "" : string.Create(CultureInfo.InvariantCulture, $", truncation {truncation}");
                rows.Add(($"Microsoft.ML.Gan DCGAN, seed {seed}{suffix}", "ours" + suffix, () => plain.Generate(samples, seed: 7, truncation: truncation)));
            }
            if (emaDecay > 0)
            {
                GanTransformer averaged = Train(context, fashion.Train, recipe, steps, seed, emaDecay);
                models.Add(averaged);
                rows.Add(($"Microsoft.ML.Gan DCGAN + EMA {emaDecay}, seed {seed}", "ours + EMA", () => averaged.Generate(samples, seed: 7)));
            }
            grids.Add(plain.Generate(GridSide * GridSide, seed: 11, truncation: truncations[0]));
        }
        foreach (string file in pytorchFiles)
        {
            rows.Add(($"PyTorch DCGAN ({Path.GetFileName(file)})", "PyTorch", () => context.Data.LoadFromIdxFile(WaitFor(file))));
        }
        if (baselines)
        {
            GanTransformer untrained = Train(context, fashion.Train, recipe, 1, seeds.Length > 0 ? seeds[0] : BenchmarkSettings.Seed, emaDecay: null);
            models.Add(untrained);
            rows.Add(("ceiling: untrained generator (1 step)", "ceiling", () => untrained.Generate(samples, seed: 7)));
        }

        Report.Header("images", "FID", "KID", "precision", "recall", "IS", "mode coverage", "class KL", "memorisation", "gen→train", "test→train", "s");
        var byGroup = new Dictionary<string, List<GanMetrics>>();
        foreach ((string name, string group, Func<IDataView> generated) in rows)
        {
            var clock = Stopwatch.StartNew();
            GanMetrics m = context.Gan().Evaluate(generated(), fashion.Test, classifier, new GanEvaluationOptions { Training = memorisation ? fashion.Train : null, Seed = 1 });
            (byGroup.TryGetValue(group, out var list) ? list : byGroup[group] = new List<GanMetrics>()).Add(m);
            Report.Row(name, m.FrechetDistance, m.KernelDistance, m.Precision, m.Recall, GanMetrics.Format(m.InceptionScore), GanMetrics.Format(m.ModeCoverage),
                GanMetrics.Format(m.ClassDistributionKl), GanMetrics.Format(m.MemorizationRatio), GanMetrics.Format(m.GeneratedToTrainingDistance),
                GanMetrics.Format(m.RealToTrainingDistance), clock.Elapsed.TotalSeconds);
        }

        Report.Section("Means over seeds");
        Report.Header("generator", "runs", "FID", "KID", "precision", "recall");
        foreach ((string group, List<GanMetrics> list) in byGroup.Where(pair => pair.Value.Count > 0 && (pair.Key.StartsWith("ours", StringComparison.Ordinal) || pair.Key == "PyTorch")))
        {
            Report.Row(group, list.Count, list.Average(m => m.FrechetDistance), list.Average(m => m.KernelDistance), list.Average(m => m.Precision), list.Average(m => m.Recall));
        }

        if (gridPath is not null && pytorchFiles.Length > 0 && grids.Count > 0)
        {
            SaveSideBySide(context, grids[0], context.Data.LoadFromIdxFile(pytorchFiles[0]), gridPath);
            Report.Note($"Wrote {Path.GetFullPath(gridPath)}: left, {GridSide}×{GridSide} samples of ours (seed {seeds[0]}, no EMA, truncation {truncations[0]?.ToString(CultureInfo.InvariantCulture) ?? "none"}); right, the first {GridSide * GridSide} of {Path.GetFileName(pytorchFiles[0])}.");
        }
        models.ForEach(model => model.Dispose());
        Report.Note(string.Create(CultureInfo.InvariantCulture,
            $"Features: the judge's {classifier.FeatureDimension}-d penultimate layer; KID {new GanEvaluationOptions().KernelDistanceSubsets} subsets of 1,000; k = 3; {(memorisation ? "memorisation against the 60k training set" : "no memorisation figures (--skip-memorisation)")}. Total {total.Elapsed.TotalSeconds:F0} s."));
        if (pytorchFiles.Length == 0)
        {
            Report.Note("PyTorch rows: run /usr/bin/python3 benchmarks/pytorch/dcgan_samples.py --steps N --seed S --out FILE, then pass --pytorch-samples FILE[,FILE...].");
        }
    }

    // Each row of the figure: GridSide of ours, one blank tile, GridSide of PyTorch's.
    private static void SaveSideBySide(MLContext context, IDataView ours, IDataView pytorch, string path)
    {
        var shape = new ImageShape(1, 28, 28);
        List<MLImage> left = ours.GetColumn<MLImage>("Image").ToList();
        List<MLImage> right = pytorch.GetColumn<VBuffer<float>>("Image").Take(GridSide * GridSide)
            .Select(pixels => ImagePixels.ToImage(pixels.DenseValues().Select(v => v * 2 - 1).ToArray(), shape)).ToList();
        using MLImage blank = ImagePixels.ToImage(Enumerable.Repeat(1f, shape.PixelCount).ToArray(), shape);
        var tiles = new List<MLImage>();
        for (int row = 0; row < GridSide; row++)
        {
            tiles.AddRange(left.Skip(row * GridSide).Take(GridSide));
            tiles.Add(blank);
            tiles.AddRange(right.Skip(row * GridSide).Take(GridSide));
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        GanImages.SaveGrid(tiles, path, columns: 2 * GridSide + 1);
        left.Concat(right).ToList().ForEach(image => image.Dispose());
    }

    // dcgan_samples.py may still be running beside this process (it renames the file into place when done).
    private static string WaitFor(string path)
    {
        var waited = Stopwatch.StartNew();
        while (!File.Exists(path) && waited.Elapsed < TimeSpan.FromHours(1))
        {
            System.Threading.Thread.Sleep(TimeSpan.FromSeconds(10));
        }

        return path;
    }

    private static GanTransformer Train(MLContext context, IDataView train, Recipe recipe, int steps, int seed, double? emaDecay) =>
        context.Gan().Trainers.Gan(new GanTrainer.Options
        {
            MaxSteps = steps,
            Epochs = 1_000,
            Seed = seed,
            LogEveryNSteps = 100,
            GeneratorEmaDecay = emaDecay,
            GeneratorLearningRate = recipe.GeneratorLearningRate,
            DiscriminatorLearningRate = recipe.DiscriminatorLearningRate,
            Beta1 = recipe.Beta1,
            Beta2 = recipe.Beta2,
            Loss = recipe.Loss,
            SpectralNormalization = recipe.SpectralNormalization,
        }).Fit(train);

    /// <summary>The trainer options a quality run may change from the defaults (the PyTorch script matches the defaults).</summary>
    private sealed record Recipe(double GeneratorLearningRate, double DiscriminatorLearningRate, double Beta1, double Beta2, GanLoss Loss, bool SpectralNormalization)
    {
        public string Describe(GanTrainer.Options defaults)
        {
            var changes = new List<string>();
            if (GeneratorLearningRate != defaults.GeneratorLearningRate || DiscriminatorLearningRate != defaults.DiscriminatorLearningRate)
            {
                changes.Add(string.Create(CultureInfo.InvariantCulture, $"learning rates G {GeneratorLearningRate:G3}, D {DiscriminatorLearningRate:G3}"));
            }
            if (Beta1 != defaults.Beta1 || Beta2 != defaults.Beta2)
            {
                changes.Add(string.Create(CultureInfo.InvariantCulture, $"Adam betas {Beta1:G3}, {Beta2:G3}"));
            }
            if (Loss != defaults.Loss)
            {
                changes.Add($"{Loss} loss");
            }
            if (SpectralNormalization)
            {
                changes.Add("spectral normalization");
            }

            return changes.Count == 0 ? "default options" : "default options except " + string.Join(", ", changes);
        }
    }
}
