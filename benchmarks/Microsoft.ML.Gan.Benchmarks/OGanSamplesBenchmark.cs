using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Data;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Benchmarks;

/// <summary>
/// <c>--only ogan-samples</c> (issue 25): what O-GAN's correlation term costs in samples. Each variant is trained on the
/// Fashion-MNIST 60k set for the same number of generator steps and seed, then 10k samples from N(0, I) are judged by
/// the project's judge against the 10k test set (FID, KID, precision, recall, classes drawn); O-GAN variants also
/// report ρ(z, E(G(z))) and how often the judge gives a test image's reconstruction its label.
/// </summary>
/// <remarks>
/// <c>--only ogan-samples [--steps 4000] [--seeds 1,2] [--samples 10000] [--variants "NAME=key:value,...|..."] [--grid-dir DIR] [--classifier PATH]</c>.
/// Keys: <c>trainer</c> (ogan | dcgan; default ogan), <c>latent</c>, <c>lambda</c>, <c>glambda</c> (the generator's own λ), <c>loss</c> (a <see cref="GanLoss"/>),
/// <c>glr</c>, <c>dlr</c>, <c>beta1</c>, <c>beta2</c>, <c>head</c> (true: the T(E(x)) score head), <c>qp</c> (GAN-QP's
/// potential weight), <c>augment</c> (an augmentation policy with + between transforms, such as noise or color+translation). Unset keys keep the trainer's library defaults, except that an O-GAN variant is grayscale at
/// latent 256 as docs/o-gan.md recommends. The default variants are the recommended O-GAN (λ 14), its λ = 0 twin and
/// the plain DCGAN trainer's defaults.
/// </remarks>
internal static class OGanSamplesBenchmark
{
    private const string DefaultVariants = "ogan-14=lambda:14|twin=lambda:0|dcgan=trainer:dcgan";

    private sealed record Variant(string Name, IReadOnlyDictionary<string, string> Settings)
    {
        public bool IsOGan => Get("trainer", "ogan") == "ogan";

        public string Get(string key, string fallback) => Settings.TryGetValue(key, out string? value) ? value : fallback;

        public double Number(string key, double fallback) => Settings.TryGetValue(key, out string? value) ? double.Parse(value, CultureInfo.InvariantCulture) : fallback;
    }

    private sealed record Row(Variant Variant, GanMetrics Metrics, double? Correlation, double? Reconstructions);

    public static void Run(string[] args)
    {
        int steps = BenchmarkArguments.Int(args, "--steps", 4000);
        int samples = BenchmarkArguments.Int(args, "--samples", 10_000);
        int[] seeds = BenchmarkArguments.Ints(args, "--seeds", "1,2");
        Variant[] variants = Parse(BenchmarkArguments.String(args, "--variants", DefaultVariants));
        string? gridDirectory = BenchmarkArguments.String(args, "--grid-dir");

        var total = Stopwatch.StartNew();
        var context = new MLContext(seed: 1);
        var fashion = new FashionMnist(context);
        using ImageClassifierTransformer judge = fashion.Classifier(BenchmarkArguments.String(args, "--classifier", Path.Combine(Path.GetTempPath(), "gan-fashion-judge.zip")));
        using Tensor testImages = OGanBenchmark.Images(fashion.Test);
        using Tensor testLabels = OGanBenchmark.Labels(fashion.Test);
        long[] truth = testLabels.data<long>().ToArray();

        Report.Section($"O-GAN samples: {steps} generator steps on the 60k set, {samples} samples from N(0, I) (seed 7) against the 10k test set");
        foreach (Variant variant in variants)
        {
            Report.Note($"{variant.Name}: {string.Join("; ", Describe(variant))}");
        }
        Report.Header("variant", "seed", "ρ", "reconstructions", "FID", "KID", "precision", "recall", "classes drawn", "class KL", "train s");
        var rows = new List<Row>();
        foreach (int seed in seeds)
        {
            foreach (Variant variant in variants)
            {
                var clock = Stopwatch.StartNew();
                using GanTransformerBase model = Train(context, fashion.Train, variant, steps, seed);
                double trainSeconds = clock.Elapsed.TotalSeconds;
                GanMetrics metrics = context.Gan().Evaluate(Samples(model, samples, seed: 7), fashion.Test, judge, new GanEvaluationOptions { Seed = 1 });
                double? correlation = null, reconstructions = null;
                if (model is OGanTransformer ogan)
                {
                    correlation = ogan.MeanCorrelation(10_000, seed: 77);
                    using Tensor reconstructed = OGanBenchmark.Reconstruct(ogan, testImages);
                    reconstructions = OGanBenchmark.Agreement(FashionMnist.Predict(judge, reconstructed), truth);
                }
                rows.Add(new Row(variant, metrics, correlation, reconstructions));
                Report.Row(variant.Name, seed, Format(correlation), Format(reconstructions), metrics.FrechetDistance, metrics.KernelDistance,
                    metrics.Precision, metrics.Recall, GanMetrics.Format(metrics.ModeCoverage), GanMetrics.Format(metrics.ClassDistributionKl), trainSeconds);
                if (gridDirectory is not null)
                {
                    SaveGrid(model, Path.Combine(gridDirectory, $"{variant.Name}-seed{seed}.png"));
                }
            }
        }

        Report.Section("Means over seeds (± standard deviation), and against the first λ = 0 variant");
        Report.Header("variant", "seeds", "ρ", "reconstructions", "FID", "KID", "precision", "recall", "classes drawn", "FID / twin", "recall − twin");
        Variant? twin = variants.FirstOrDefault(v => v.IsOGan && v.Number("lambda", 0) == 0);
        List<Row> twinRows = rows.Where(r => r.Variant == twin).ToList();
        foreach (Variant variant in variants)
        {
            List<Row> mine = rows.Where(r => r.Variant == variant).ToList();
            string fidRatio = "–", recallDifference = "–";
            if (twinRows.Count > 0)
            {
                fidRatio = (mine.Average(r => r.Metrics.FrechetDistance) / twinRows.Average(r => r.Metrics.FrechetDistance)).ToString("0.00", CultureInfo.InvariantCulture);
                recallDifference = (mine.Average(r => r.Metrics.Recall) - twinRows.Average(r => r.Metrics.Recall)).ToString("+0.000;-0.000", CultureInfo.InvariantCulture);
            }
            Report.Row(variant.Name, mine.Count,
                variant.IsOGan ? Measurements.MeanAndSpread(mine.Select(r => r.Correlation!.Value)) : "–",
                variant.IsOGan ? Measurements.MeanAndSpread(mine.Select(r => r.Reconstructions!.Value)) : "–",
                Measurements.MeanAndSpread(mine.Select(r => r.Metrics.FrechetDistance)), Measurements.MeanAndSpread(mine.Select(r => r.Metrics.KernelDistance)),
                Measurements.MeanAndSpread(mine.Select(r => r.Metrics.Precision)), Measurements.MeanAndSpread(mine.Select(r => r.Metrics.Recall)),
                Measurements.MeanAndSpread(mine.Select(r => r.Metrics.ModeCoverage ?? double.NaN)), fidRatio, recallDifference);
        }
        Report.Note(string.Create(CultureInfo.InvariantCulture,
            $"Judge: {judge.FeatureDimension}-d penultimate features of the classifier trained on the 60k set. ρ on 10k fresh z; reconstructions: share of the 10k test images whose G(N(E(x))) the judge gives x's label. Total {total.Elapsed.TotalSeconds:F0} s."));
    }

    private static GanTransformerBase Train(MLContext context, IDataView train, Variant variant, int steps, int seed)
    {
        GanTrainer.Options options = variant.IsOGan ? new OGanTrainer.Options { LatentDimension = 256 } : new GanTrainer.Options();
        if (options is OGanTrainer.Options o)
        {
            o.CorrelationWeight = variant.Number("lambda", o.CorrelationWeight);
            o.GeneratorCorrelationWeight = variant.Settings.ContainsKey("glambda") ? variant.Number("glambda", 0) : null;
            o.UseScoreHead = bool.Parse(variant.Get("head", o.UseScoreHead.ToString()));
            o.QuadraticPotentialWeight = variant.Number("qp", o.QuadraticPotentialWeight);
        }
        options.Grayscale = true;
        options.MaxSteps = steps;
        options.Epochs = 1000;
        options.Seed = seed;
        options.LogEveryNSteps = 500;
        options.LatentDimension = (int)variant.Number("latent", options.LatentDimension);
        options.Loss = Enum.Parse<GanLoss>(variant.Get("loss", options.Loss.ToString()), ignoreCase: true);
        options.GeneratorLearningRate = variant.Number("glr", options.GeneratorLearningRate);
        options.DiscriminatorLearningRate = variant.Number("dlr", options.DiscriminatorLearningRate);
        options.Beta1 = variant.Number("beta1", options.Beta1);
        options.Beta2 = variant.Number("beta2", options.Beta2);
        options.Augmentation = variant.Settings.TryGetValue("augment", out string? policy) ? policy.Replace('+', ',') : null;
        return options is OGanTrainer.Options ogan
            ? context.Gan().Trainers.OGan(ogan).Fit(train)
            : context.Gan().Trainers.Gan(options).Fit(train);
    }

    private static IEnumerable<string> Describe(Variant variant) =>
        variant.Settings.Count == 0 ? new[] { "defaults" } : variant.Settings.Select(pair => $"{pair.Key} {pair.Value}");

    private static Variant[] Parse(string list)
    {
        var known = new HashSet<string> { "trainer", "latent", "lambda", "glambda", "augment", "loss", "glr", "dlr", "beta1", "beta2", "head", "qp" };
        return list.Split('|', StringSplitOptions.RemoveEmptyEntries).Select(spec =>
        {
            string[] nameAndSettings = spec.Split('=', 2);
            var settings = new Dictionary<string, string>();
            foreach (string pair in nameAndSettings.Length > 1 ? nameAndSettings[1].Split(',', StringSplitOptions.RemoveEmptyEntries) : Array.Empty<string>())
            {
                string[] keyValue = pair.Split(':', 2);
                if (keyValue.Length != 2 || !known.Contains(keyValue[0]))
                {
                    throw new ArgumentException($"--variants: '{pair}' in '{spec}' is not key:value with a key among {string.Join(", ", known)}.");
                }
                settings[keyValue[0]] = keyValue[1];
            }
            return new Variant(nameAndSettings[0], settings);
        }).ToArray();
    }

    private static void SaveGrid(GanTransformerBase model, string path)
    {
        List<MLImage> tiles = Samples(model, 64, seed: 11).GetColumn<MLImage>(DefaultColumnNames.Image).ToList();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        GanImages.SaveGrid(tiles, path, columns: 8);
        tiles.ForEach(tile => tile.Dispose());
    }

    private static IDataView Samples(GanTransformerBase model, int count, int seed) => model switch
    {
        OGanTransformer ogan => ogan.Generate(count, seed),
        GanTransformer plain => plain.Generate(count, seed),
        _ => throw new InvalidOperationException($"No samples from a {model.GetType().Name}."),
    };

    private static string Format(double? value) => value?.ToString("0.000", CultureInfo.InvariantCulture) ?? "–";
}
