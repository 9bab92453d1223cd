using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace Microsoft.ML.Gan.Benchmarks;

/// <summary>
/// Discriminator features on Fashion-MNIST (issue 23): GANs trained on the 60k training images without labels, then the
/// same linear probe (LbfgsMaximumEntropy, fixed L2 and iterations) trained on 100, 1,000 and 60,000 labels (several label
/// subsets for the small budgets) and tested on the 10k test set, for raw pixels, the featurizer on an untrained
/// network of the same shape, O-GAN's <c>Latent</c>, and the featurizer on a trained GAN and a trained O-GAN. Every
/// representation is standardised with statistics of the 60k unlabelled training images. Also reports the feature
/// width and the featurizer's throughput (Transform, images per second on the 10k test set).
/// </summary>
/// <remarks>
/// <c>--only features [--features-steps N] [--features-grid G,...] [--features-augment POLICY] [--gan-model PATH] [--probe-iterations N] [--probe-l2 L] [--label-seeds N] [--ogan-latent D] [--ogan-lambda L] [--rows pixels,untrained,gan,latent,ogan]</c>.
/// <c>--features-augment</c> trains the plain GAN with that DiffAugment policy; <c>--gan-model</c> loads the plain GAN from
/// PATH when the file exists and saves it there after training otherwise, so that grids and probes can be compared on one
/// trained discriminator without training it again. Needs /usr/share/datasets/fashion-mnist (Debian's dataset-fashion-mnist).
/// </remarks>
internal static class FeaturesBenchmark
{
    private static readonly int[] LabelBudgets = { 100, 1000, 60_000 };

    public static void Run(string[] args)
    {
        int steps = BenchmarkArguments.Int(args, "--features-steps", 2000);
        int[] grids = BenchmarkArguments.Ints(args, "--features-grid", "4");
        string? augmentation = BenchmarkArguments.String(args, "--features-augment");
        string ganModelPath = BenchmarkArguments.String(args, "--gan-model", "");
        int iterations = BenchmarkArguments.Int(args, "--probe-iterations", 100);
        int labelSeeds = BenchmarkArguments.Int(args, "--label-seeds", 3);
        int oganLatent = BenchmarkArguments.Int(args, "--ogan-latent", 256);
        double oganLambda = BenchmarkArguments.Double(args, "--ogan-lambda", 14);
        // L-BFGS, not SDCA: on 100 or 1,000 rows of 3,072 standardised features SDCA's updates overflowed and every
        // prediction was missing (0 % accuracy), with its own L2 choice and with fixed ones alike.
        double l2 = BenchmarkArguments.Double(args, "--probe-l2", 1);
        string[] rows = BenchmarkArguments.String(args, "--rows", "pixels,untrained,gan,latent,ogan").Split(',');

        var clock = Stopwatch.StartNew();
        var context = new MLContext(seed: 1);
        var fashion = new FashionMnist(context);
        IDataView train = fashion.Train, test = fashion.Test;
        uint[] trainLabels = train.GetColumn<uint>("Label").ToArray();
        uint[] testLabels = test.GetColumn<uint>("Label").ToArray();
        var subsets = new List<(int Budget, int Seed, int[] Rows)>();
        foreach (int budget in LabelBudgets)
        {
            foreach (int seed in Enumerable.Range(1, budget >= trainLabels.Length ? 1 : labelSeeds))
            {
                subsets.Add((budget, seed, Subset(trainLabels.Length, budget, seed)));
            }
        }

        Report.Section(string.Create(CultureInfo.InvariantCulture,
            $"Discriminator features on Fashion-MNIST (DCGAN-28, {steps} steps on the 60k unlabelled images{(augmentation is null ? "" : ", augmentation " + augmentation)}, grid {string.Join(", ", grids)}; probe LbfgsMaximumEntropy, L2 {l2}, no L1, at most {iterations} iterations; {labelSeeds} label subsets for 100 and 1,000)"));
        Report.Header("representation", "width", "featurizer images/s", "100 labels", "1,000 labels", "60,000 labels");

        void Measure(string name, Func<IDataView, float[][]> featurize)
        {
            float[][] trainFeatures = featurize(train);
            var timer = Stopwatch.StartNew();
            float[][] testFeatures = featurize(test);
            double imagesPerSecond = testFeatures.Length / timer.Elapsed.TotalSeconds;
            Standardize(trainFeatures, testFeatures);
            var accuracy = subsets.Select(subset => (subset.Budget,
                Accuracy: Probe(context, trainFeatures, trainLabels, subset.Rows, testFeatures, testLabels, iterations, (float)l2))).ToList();
            Report.Row(new object[] { name, trainFeatures[0].Length, imagesPerSecond }
                .Concat(LabelBudgets.Select(budget => (object)Summary(accuracy.Where(a => a.Budget == budget).Select(a => a.Accuracy).ToArray())))
                .ToArray());
        }

        if (rows.Contains("pixels"))
        {
            Measure("raw pixels", data => data.GetColumn<float[]>("Image").ToArray());
        }

        GanTrainer.Options GanOptions(int maxSteps) => new()
        {
            Architecture = GanArchitecture.Dcgan, Grayscale = true, MaxSteps = maxSteps, Epochs = 1000, Seed = BenchmarkSettings.Seed, LogEveryNSteps = 500,
            Augmentation = augmentation,
        };
        void MeasureFeatures(string name, GanTransformerBase model)
        {
            foreach (int grid in grids)
            {
                using DiscriminatorFeaturesTransformer featurizer = Featurizer(context, model, grid, train);
                Measure(grids.Length == 1 ? name : $"{name}, grid {grid}", featurizer.Features);
            }
        }
        if (rows.Contains("untrained"))
        {
            using GanTransformer untrained = context.Gan().Trainers.Gan(GanOptions(1)).Fit(train);
            MeasureFeatures("features, untrained DCGAN discriminator (1 step)", untrained);
        }
        if (rows.Contains("gan"))
        {
            using GanTransformer gan = TrainedGan(context, GanOptions(steps), train, ganModelPath);
            MeasureFeatures($"features, trained GAN discriminator ({steps} steps{(augmentation is null ? "" : ", " + augmentation)})", gan);
        }
        if (rows.Contains("latent") || rows.Contains("ogan"))
        {
            var trainTimer = Stopwatch.StartNew();
            using OGanTransformer ogan = context.Gan().Trainers.OGan(new OGanTrainer.Options
            {
                Grayscale = true, LatentDimension = oganLatent, CorrelationWeight = oganLambda, MaxSteps = steps, Epochs = 1000,
                Seed = BenchmarkSettings.Seed, LogEveryNSteps = 500,
            }).Fit(train);
            Report.Note($"<!-- O-GAN: {steps} steps in {trainTimer.Elapsed.TotalSeconds:F0} s, mean ρ {ogan.MeanCorrelation(1000):F3} -->");
            if (rows.Contains("latent"))
            {
                Measure($"O-GAN Latent (latent {oganLatent}, λ {oganLambda}, {steps} steps)", data => ogan.Transform(data).GetColumn<float[]>(ogan.LatentColumnName).ToArray());
            }
            if (rows.Contains("ogan"))
            {
                MeasureFeatures($"features, trained O-GAN encoder ({steps} steps)", ogan);
            }
        }
        Report.Note(string.Create(CultureInfo.InvariantCulture,
            $"Accuracy on the 10k test set: mean ± standard deviation over the label subsets. Total {clock.Elapsed.TotalSeconds:F0} s."));
    }

    private static GanTransformer TrainedGan(MLContext context, GanTrainer.Options options, IDataView train, string path)
    {
        if (path.Length > 0 && File.Exists(path))
        {
            Report.Note($"<!-- GAN loaded from {path} -->");
            return context.Gan().LoadModel<GanTransformer>(path);
        }
        var clock = Stopwatch.StartNew();
        GanTransformer gan = context.Gan().Trainers.Gan(options).Fit(train);
        Report.Note($"<!-- GAN: {options.MaxSteps} steps in {clock.Elapsed.TotalSeconds:F0} s -->");
        if (path.Length > 0)
        {
            context.Model.Save(gan, train.Schema, path);
        }
        return gan;
    }

    // Normalisation is left to Standardize, which treats every representation alike with the same statistics.
    private static DiscriminatorFeaturesTransformer Featurizer(MLContext context, GanTransformerBase model, int grid, IDataView train) =>
        context.Gan().Transforms.DiscriminatorFeatures(model, gridSize: grid, normalize: false).Fit(train);

    private static float[][] Features(this DiscriminatorFeaturesTransformer featurizer, IDataView data) =>
        featurizer.Transform(data).GetColumn<float[]>(featurizer.OutputColumnName).ToArray();

    /// <summary>The first <paramref name="budget"/> rows of a seeded shuffle of 0 … count − 1.</summary>
    private static int[] Subset(int count, int budget, int seed)
    {
        int[] rows = Enumerable.Range(0, count).ToArray();
        var random = new Random(seed);
        for (int i = 0; i < Math.Min(budget, count - 1); i++)
        {
            int j = random.Next(i, count);
            (rows[i], rows[j]) = (rows[j], rows[i]);
        }
        return rows.Take(budget).ToArray();
    }

    /// <summary>Standardises both sets with the per-feature mean and standard deviation of the (unlabelled) training set.</summary>
    private static void Standardize(float[][] train, float[][] test)
    {
        int width = train[0].Length;
        var mean = new double[width];
        var squares = new double[width];
        foreach (float[] row in train)
        {
            for (int i = 0; i < width; i++)
            {
                mean[i] += row[i];
            }
        }
        for (int i = 0; i < width; i++)
        {
            mean[i] /= train.Length;
        }
        foreach (float[] row in train)
        {
            for (int i = 0; i < width; i++)
            {
                squares[i] += (row[i] - mean[i]) * (row[i] - mean[i]);
            }
        }
        float[] scale = squares.Select(s => Math.Sqrt(s / train.Length) is var deviation && deviation > 1e-6 ? (float)(1 / deviation) : 0f).ToArray();
        foreach (float[] row in train.Concat(test))
        {
            for (int i = 0; i < width; i++)
            {
                row[i] = (float)(row[i] - mean[i]) * scale[i];
            }
        }
    }

    private static double Probe(MLContext context, float[][] train, uint[] trainLabels, int[] rows, float[][] test, uint[] testLabels, int iterations, float l2)
    {
        var trainer = context.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
        {
            LabelColumnName = "Label", FeatureColumnName = "Features", L1Regularization = 0, L2Regularization = l2, MaximumNumberOfIterations = iterations,
        });
        var model = trainer.Fit(View(context, rows.Select(row => (trainLabels[row], train[row]))));
        IDataView predictions = model.Transform(View(context, testLabels.Select((label, row) => (label, test[row]))));
        return context.MulticlassClassification.Evaluate(predictions).MicroAccuracy;
    }

    private static IDataView View(MLContext context, IEnumerable<(uint Label, float[] Features)> rows)
    {
        List<ProbeRow> list = rows.Select(row => new ProbeRow { Label = row.Label, Features = row.Features }).ToList();
        SchemaDefinition schema = SchemaDefinition.Create(typeof(ProbeRow));
        schema[nameof(ProbeRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, list[0].Features.Length);
        return context.Data.LoadFromEnumerable(list, schema);
    }

    private static string Summary(double[] accuracies) => accuracies.Length == 1
        ? (100 * accuracies[0]).ToString("0.0", CultureInfo.InvariantCulture) + " %"
        : string.Create(CultureInfo.InvariantCulture,
            $"{100 * accuracies.Average():0.0} ± {100 * Math.Sqrt(accuracies.Average(a => Math.Pow(a - accuracies.Average(), 2))):0.0} %");

    private sealed class ProbeRow
    {
        [KeyType(10)]
        public uint Label { get; set; }

        public float[] Features { get; set; } = Array.Empty<float>();
    }
}
