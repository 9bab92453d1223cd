using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;

namespace Microsoft.ML.Gan.Benchmarks;

/// <summary>
/// <c>quality</c>: every <see cref="GanMetrics"/> against the Fashion-MNIST test set for our DCGAN after a fixed number of
/// generator steps on the 60k training set, beside the floor (real training images), the ceiling (an untrained
/// generator) and, when given, samples of the plain PyTorch DCGAN (benchmarks/pytorch/dcgan_samples.py).
/// </summary>
internal static class QualityBenchmark
{
    private const string Folder = "/usr/share/datasets/fashion-mnist/";

    public static void Run(string[] args)
    {
        int steps = IntArgument(args, "--steps", 500);
        int samples = IntArgument(args, "--samples", 10_000);
        int classifierEpochs = IntArgument(args, "--classifier-epochs", 2);
        string? pytorchSamples = StringArgument(args, "--pytorch-samples");
        var total = Stopwatch.StartNew();
        var context = new MLContext(seed: 1);
        context.Log += (_, e) =>
        {
            if (e.Kind == Runtime.ChannelMessageKind.Info && e.Source.StartsWith("ImageClassifierTrainer", StringComparison.Ordinal))
            {
                Console.WriteLine("  " + e.RawMessage);
            }
        };
        IDataView train = context.Data.LoadFromIdxFile(Folder + "train-images-idx3-ubyte.gz", Folder + "train-labels-idx1-ubyte.gz");
        IDataView test = context.Data.LoadFromIdxFile(Folder + "t10k-images-idx3-ubyte.gz", Folder + "t10k-labels-idx1-ubyte.gz");

        Report.Section($"Quality: DCGAN (default options) after {steps} generator steps on the 60k training set, {samples} samples, against the 10k test set");
        var clock = Stopwatch.StartNew();
        using ImageClassifierTransformer classifier = context.Gan().Evaluation.TrainClassifier(train, new ImageClassifierOptions { Epochs = classifierEpochs, Seed = BenchmarkSettings.Seed });
        double accuracy = Accuracy(context, classifier, test);
        Report.Note(string.Create(CultureInfo.InvariantCulture,
            $"Classifier (feature extractor): {classifierEpochs} epochs on the 60k training set in {clock.Elapsed.TotalSeconds:F0} s; test accuracy {accuracy:P2}."));

        clock.Restart();
        using GanTransformer trained = Train(context, train, steps);
        double trainSeconds = clock.Elapsed.TotalSeconds;
        using GanTransformer untrained = Train(context, train, 1);
        Report.Note(string.Create(CultureInfo.InvariantCulture, $"DCGAN: {steps} steps in {trainSeconds:F0} s."));

        var rows = new (string Name, Func<IDataView> Generated)[]
        {
            ("floor: real training images", () => context.Data.TakeRows(context.Data.ShuffleRows(train, seed: 3), samples)),
            ($"Microsoft.ML.Gan DCGAN, {steps} steps", () => trained.Generate(samples, seed: 7)),
            ("ceiling: untrained generator (1 step)", () => untrained.Generate(samples, seed: 7)),
        };
        if (pytorchSamples is not null)
        {
            rows = rows.Append(($"PyTorch DCGAN, {steps} steps", () => context.Data.LoadFromIdxFile(WaitFor(pytorchSamples)))).ToArray();
        }

        Report.Header("images", "FID", "KID", "precision", "recall", "IS", "mode coverage", "class KL", "memorisation", "gen→train", "test→train", "s");
        foreach ((string name, Func<IDataView> generated) in rows)
        {
            clock.Restart();
            GanMetrics m = context.Gan().Evaluate(generated(), test, classifier, new GanEvaluationOptions { Training = train, Seed = 1 });
            Report.Row(name, m.FrechetDistance, m.KernelDistance, m.Precision, m.Recall, GanMetrics.Format(m.InceptionScore), GanMetrics.Format(m.ModeCoverage),
                GanMetrics.Format(m.ClassDistributionKl), GanMetrics.Format(m.MemorizationRatio), GanMetrics.Format(m.GeneratedToTrainingDistance),
                GanMetrics.Format(m.RealToTrainingDistance), clock.Elapsed.TotalSeconds);
        }

        Report.Note(string.Create(CultureInfo.InvariantCulture,
            $"Features: the classifier's {classifier.FeatureDimension}-d penultimate layer; KID {new GanEvaluationOptions().KernelDistanceSubsets} subsets of 1,000; k = 3; memorisation against the 60k training set. Total {total.Elapsed.TotalSeconds:F0} s."));
        if (pytorchSamples is null)
        {
            Report.Note("PyTorch row: run /usr/bin/python3 benchmarks/pytorch/dcgan_samples.py --steps N --out FILE, then pass --pytorch-samples FILE.");
        }
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

    private static GanTransformer Train(MLContext context, IDataView train, int steps) =>
        context.Gan().Trainers.Gan(new GanTrainer.Options { MaxSteps = steps, Epochs = 1_000, Seed = BenchmarkSettings.Seed, LogEveryNSteps = 100 }).Fit(train);

    private static double Accuracy(MLContext context, ImageClassifierTransformer classifier, IDataView test)
    {
        uint[] predicted = classifier.Transform(test).GetColumn<uint>(ImageClassifierTransformer.PredictedLabelColumnName).ToArray();
        uint[] labels = test.GetColumn<uint>("Label").ToArray();
        return predicted.Zip(labels, (p, l) => p == l ? 1.0 : 0.0).Average();
    }

    private static int IntArgument(string[] args, string name, int fallback)
    {
        string? value = StringArgument(args, name);
        return value is null ? fallback : int.Parse(value, CultureInfo.InvariantCulture);
    }

    private static string? StringArgument(string[] args, string name)
    {
        int at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
