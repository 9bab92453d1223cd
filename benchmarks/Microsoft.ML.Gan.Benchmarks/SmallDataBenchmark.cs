using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;

namespace Microsoft.ML.Gan.Benchmarks;

/// <summary>
/// <c>--only small-data</c>: the DCGAN (or the ResNet) trained on the first 1,000 and the first 5,000 Fashion-MNIST training images,
/// with and without differentiable augmentation (and, when asked, R1), equal generator steps, several seeds; each
/// judged by the project's judge (trained on the full 60k) against the 10k test set, with memorisation measured
/// against the subset the generator saw.
/// </summary>
/// <remarks>
/// <c>--only small-data [--sizes 1000,5000] [--steps 3000] [--eval-at 1000,2000] [--seeds 1,2,3] [--samples 5000] [--variants plain,augment,augment-r1]
/// [--policy color,translation,cutout] [--r1 1] [--r1-interval 16] [--ada-target 0.6] [--ada-images 500000] [--g-lr R] [--d-lr R] [--classifier PATH]</c>.
/// The variant <c>ada</c> is the policy with ADA's adaptive strength; <c>resnet</c> is <c>plain</c> with
/// <see cref="GanArchitecture.ResNet"/>, <c>resnet-hinge</c> the same with SNGAN's hinge loss and Adam β (0, 0.9) (with <c>--sizes 60000</c>: the architecture comparison on full data).
/// Memorisation is the nearest-neighbour distance ratio: generated → subset over test → subset; below 1 means samples sit
/// closer to the training images than unseen real images do.
/// </remarks>
internal static class SmallDataBenchmark
{
    private sealed record Variant(string Name, string? Augmentation, double? R1Weight, int R1Interval, double? AugmentationTarget = null,
        GanArchitecture Architecture = GanArchitecture.Dcgan, GanLoss? Loss = null, (double Beta1, double Beta2)? Betas = null);

    public static void Run(string[] args)
    {
        int[] sizes = BenchmarkArguments.Ints(args, "--sizes", "1000,5000");
        int[] seeds = BenchmarkArguments.Ints(args, "--seeds", "1,2,3");
        int steps = BenchmarkArguments.Int(args, "--steps", 3000);
        // --eval-at 1000,2000: also judge the generator at these steps on the way (each resumes the previous checkpoint).
        int[] milestones = BenchmarkArguments.Ints(args, "--eval-at", "").Where(s => s < steps).Append(steps).Distinct().OrderBy(s => s).ToArray();
        int samples = BenchmarkArguments.Int(args, "--samples", 5000);
        string policy = BenchmarkArguments.String(args, "--policy", "color,translation,cutout");
        double r1 = BenchmarkArguments.Double(args, "--r1", 1.0);
        int r1Interval = BenchmarkArguments.Int(args, "--r1-interval", 16);
        var defaults = new GanTrainer.Options();
        double adaTarget = BenchmarkArguments.Double(args, "--ada-target", 0.6);
        int adaImages = BenchmarkArguments.Int(args, "--ada-images", defaults.AugmentationAdjustmentImages);
        double generatorRate = BenchmarkArguments.Double(args, "--g-lr", defaults.GeneratorLearningRate);
        double discriminatorRate = BenchmarkArguments.Double(args, "--d-lr", defaults.DiscriminatorLearningRate);
        var known = new Dictionary<string, Variant>
        {
            ["plain"] = new("no augmentation", null, null, 1),
            ["resnet"] = new("ResNet, no augmentation", null, null, 1, Architecture: GanArchitecture.ResNet),
            // SNGAN's own recipe for its residual networks: hinge loss, Adam β (0, 0.9).
            ["resnet-hinge"] = new("ResNet, hinge, Adam β (0, 0.9)", null, null, 1, Architecture: GanArchitecture.ResNet, Loss: GanLoss.Hinge, Betas: (0, 0.9)),
            ["augment"] = new($"augment {policy}", policy, null, 1),
            ["ada"] = new(string.Create(CultureInfo.InvariantCulture, $"augment {policy} adaptive (target {adaTarget}, {adaImages} images)"), policy, null, 1, adaTarget),
            ["r1"] = new(string.Create(CultureInfo.InvariantCulture, $"R1 {r1} every {r1Interval}"), null, r1, r1Interval),
            ["augment-r1"] = new(string.Create(CultureInfo.InvariantCulture, $"augment {policy} + R1 {r1} every {r1Interval}"), policy, r1, r1Interval),
        };
        Variant[] variants = BenchmarkArguments.String(args, "--variants", "plain,augment").Split(',')
            .Select(name => known.TryGetValue(name, out Variant? v) ? v : throw new ArgumentException($"--variants: unknown '{name}'; known: {string.Join(", ", known.Keys)}."))
            .ToArray();

        var total = Stopwatch.StartNew();
        var context = new MLContext(seed: 1);
        // The training log's last "augment p X" at each milestone: where ADA's controller has taken the strength.
        string lastProbability = "–";
        context.Log += (_, e) =>
        {
            int at = e.RawMessage.IndexOf("augment p ", StringComparison.Ordinal);
            if (at >= 0)
            {
                lastProbability = e.RawMessage[(at + "augment p ".Length)..];
            }
        };
        var fashion = new FashionMnist(context);
        Report.Section(string.Create(CultureInfo.InvariantCulture,
            $"Small data: {string.Join(" / ", variants.Select(v => v.Architecture).Distinct())} (learning rates G {generatorRate:G3}, D {discriminatorRate:G3}) on the first {string.Join(" / ", sizes)} training images, {steps} generator steps, {samples} samples from N(0, I), against the 10k test set"));
        using ImageClassifierTransformer judge = fashion.Classifier(BenchmarkArguments.String(args, "--classifier", Path.Combine(Path.GetTempPath(), "gan-fashion-judge.zip")));

        Report.Header("images", "variant", "seed", "steps", "FID", "KID", "precision", "recall", "mode coverage", "memorisation", "ADA p", "train s (since previous row)");
        var results = new List<(int Size, Variant Variant, int Steps, GanMetrics Metrics)>();
        foreach (int size in sizes)
        {
            IDataView subset = context.Data.TakeRows(fashion.Train, size);
            foreach (int seed in seeds)
            {
                foreach (Variant variant in variants)
                {
                    string checkpoints = Path.Combine(Path.GetTempPath(), $"gan-small-data-{Environment.ProcessId}-{size}-{seed}-{Array.IndexOf(variants, variant)}");
                    var clock = Stopwatch.StartNew();
                    foreach (int milestone in milestones)
                    {
                        lastProbability = "–";
                        // Each milestone resumes the previous one's checkpoint: bit-identical to one uninterrupted run.
                        using GanTransformer model = context.Gan().Trainers.Gan(new GanTrainer.Options
                        {
                            Architecture = variant.Architecture,
                            Loss = variant.Loss ?? defaults.Loss,
                            Beta1 = variant.Betas?.Beta1 ?? defaults.Beta1,
                            Beta2 = variant.Betas?.Beta2 ?? defaults.Beta2,
                            MaxSteps = milestone,
                            Epochs = 100_000,
                            Seed = seed,
                            LogEveryNSteps = 500,
                            GeneratorLearningRate = generatorRate,
                            DiscriminatorLearningRate = discriminatorRate,
                            Augmentation = variant.Augmentation,
                            R1Weight = variant.R1Weight,
                            R1Interval = variant.R1Interval,
                            AugmentationTarget = variant.AugmentationTarget,
                            AugmentationAdjustmentImages = adaImages,
                            CheckpointDirectory = checkpoints,
                            CheckpointEveryNSteps = milestone,
                            ResumeFrom = milestone == milestones[0] ? null : checkpoints,
                        }).Fit(subset);
                        double trainSeconds = clock.Elapsed.TotalSeconds;
                        GanMetrics m = context.Gan().Evaluate(model.Generate(samples, seed: 7), fashion.Test, judge,
                            new GanEvaluationOptions { Training = subset, Seed = 1 });
                        results.Add((size, variant, milestone, m));
                        Report.Row(size, variant.Name, seed, milestone, m.FrechetDistance, m.KernelDistance, m.Precision, m.Recall,
                            GanMetrics.Format(m.ModeCoverage), GanMetrics.Format(m.MemorizationRatio), lastProbability, trainSeconds);
                        clock.Restart();
                    }
                    Directory.Delete(checkpoints, recursive: true);
                }
            }
        }

        Report.Section("Means over seeds (± standard deviation)");
        Report.Header("images", "steps", "variant", "seeds", "FID", "KID", "precision", "recall", "memorisation", "FID change vs " + variants[0].Name);
        foreach (int size in sizes)
        {
            foreach (int milestone in milestones)
            {
                double? baseline = null;
                foreach (Variant variant in variants)
                {
                    List<GanMetrics> runs = results.Where(r => r.Size == size && r.Steps == milestone && r.Variant == variant).Select(r => r.Metrics).ToList();
                    double fid = runs.Average(m => m.FrechetDistance);
                    baseline ??= fid;
                    Report.Row(size, milestone, variant.Name, runs.Count, Measurements.MeanAndSpread(runs.Select(m => m.FrechetDistance)), Measurements.MeanAndSpread(runs.Select(m => m.KernelDistance)),
                        Measurements.MeanAndSpread(runs.Select(m => m.Precision)), Measurements.MeanAndSpread(runs.Select(m => m.Recall)), Measurements.MeanAndSpread(runs.Select(m => m.MemorizationRatio ?? double.NaN)),
                        (fid / baseline.Value - 1).ToString("+0.0%;-0.0%", CultureInfo.InvariantCulture));
                }
            }
        }
        Report.Note(string.Create(CultureInfo.InvariantCulture,
            $"Judge: {judge.FeatureDimension}-d penultimate features of the classifier trained on the 60k set; memorisation against the subset trained on; samples drawn with seed 7. Total {total.Elapsed.TotalSeconds:F0} s."));
    }
}
