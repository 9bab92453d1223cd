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
/// Conditional generation on Fashion-MNIST: trains a conditional DCGAN on the 60k training set, trains a small CNN on
/// the same real images, and reports per class the share of generated images the CNN assigns to the requested class.
/// Also writes a 10×10 grid, one row per class.
/// </summary>
/// <remarks>
/// dotnet run -c Release --project benchmarks/Microsoft.ML.Gan.Benchmarks -- --only conditional [--steps N] [--grid PATH] [--classifier PATH]
/// (--classifier: weights of the judging CNN, loaded when the file exists, else trained and saved there, so reruns skip its training)
/// </remarks>
internal static class ConditionalBenchmark
{
    public static readonly string[] ClassNames =
        { "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot" };

    private const string Folder = "/usr/share/datasets/fashion-mnist";
    private const int SamplesPerClass = 1000;

    public static void Run(string[] args)
    {
        int steps = IntArgument(args, "--steps", 3000);
        string grid = StringArgument(args, "--grid", "conditional-fashion-mnist.png");
        string classifierPath = StringArgument(args, "--classifier", Path.Combine(Path.GetTempPath(), "gan-fashion-classifier.bin"));
        var context = new MLContext(seed: 1);
        var clock = Stopwatch.StartNew();
        IDataView train = context.Data.LoadFromIdxFile(Path.Combine(Folder, "train-images-idx3-ubyte.gz"), Path.Combine(Folder, "train-labels-idx1-ubyte.gz"), ClassNames);
        IDataView test = context.Data.LoadFromIdxFile(Path.Combine(Folder, "t10k-images-idx3-ubyte.gz"), Path.Combine(Folder, "t10k-labels-idx1-ubyte.gz"), ClassNames);

        Console.WriteLine($"## Conditional GAN on Fashion-MNIST ({train.GetRowCount()} training images)");

        var options = new ConditionalGanTrainer.Options
        {
            Conditioning = ConditioningMethod.ProjectionAndAuxiliaryClassifier,
            Architecture = GanArchitecture.Dcgan,
            Loss = GanLoss.NonSaturating,
            MaxSteps = steps,
            Epochs = 100,
            Seed = 1,
            LogEveryNSteps = 250,
        };
        Console.WriteLine($"conditional GAN: {options.Conditioning}, {options.Architecture}, {options.Loss}, batch {options.BatchSize}, {steps} generator updates");
        var fit = Stopwatch.StartNew();
        context.Log += (_, e) =>
        {
            if (e.Source.StartsWith(nameof(ConditionalGanTrainer), StringComparison.Ordinal) && e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Info && e.RawMessage.StartsWith("step", StringComparison.Ordinal))
            {
                Console.WriteLine($"  [{fit.Elapsed.TotalSeconds:F0} s] {e.RawMessage}");
            }
        };
        using ConditionalGanTransformer model = context.Gan().Trainers.ConditionalGan(options).Fit(train);
        double fitSeconds = fit.Elapsed.TotalSeconds;
        Console.WriteLine($"trained in {fitSeconds:F0} s ({steps / fitSeconds:F2} generator updates/s)");

        var rows = new List<MLImage>();
        for (int c = 0; c < ClassNames.Length; c++)
        {
            rows.AddRange(Images(model.Generate(10, ClassNames[c], seed: 7)));
        }
        GanImages.SaveGrid(rows, grid, columns: 10);
        rows.ForEach(image => image.Dispose());
        Console.WriteLine($"wrote {Path.GetFullPath(grid)}");
        using var classifier = LoadOrTrainClassifier(train, test, classifierPath);
        Console.WriteLine();
        Console.WriteLine("| class | share classified as requested |");
        Console.WriteLine("| --- | --- |");
        double total = 0;
        for (int c = 0; c < ClassNames.Length; c++)
        {
            using Tensor images = ReadImages(model.Generate(SamplesPerClass, ClassNames[c], seed: 100 + c));
            long[] predicted = classifier.Predict(images);
            double share = predicted.Count(p => p == c) / (double)SamplesPerClass;
            total += share;
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "| {0} | {1:P1} |", ClassNames[c], share));
        }
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "| all ({0} per class) | {1:P1} |", SamplesPerClass, total / ClassNames.Length));

        Console.WriteLine($"total {clock.Elapsed.TotalSeconds:F0} s");
    }

    private static ClassJudgeNetwork LoadOrTrainClassifier(IDataView train, IDataView test, string path)
    {
        var clock = Stopwatch.StartNew();
        var classifier = new ClassJudgeNetwork();
        if (File.Exists(path))
        {
            classifier.load(path);
            classifier.eval();
            Console.WriteLine($"classifier loaded from {path}");
        }
        else
        {
            using Tensor images = ReadImages(train);
            using Tensor labels = ReadLabels(train);
            classifier.Train(images, labels, epochs: 1, batchSize: 128, seed: 1);
            classifier.save(path);
        }
        using Tensor testImages = ReadImages(test);
        using Tensor testLabels = ReadLabels(test);
        long[] predicted = classifier.Predict(testImages);
        long[] truth = testLabels.data<long>().ToArray();
        double accuracy = predicted.Zip(truth).Count(p => p.First == p.Second) / (double)truth.Length;
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
            "classifier (small CNN, 1 epoch on the real training images): test accuracy {0:P1}, ready in {1:F0} s", accuracy, clock.Elapsed.TotalSeconds));
        return classifier;
    }

    private static Tensor ReadImages(IDataView view) => ImageColumnReader.Create(view.Schema, "Image", grayscale: true, new ImageShape(1, 28, 28), inputScale: view.Schema["Image"].Type is VectorDataViewType ? 1f : null).ReadAll(view);

    private static Tensor ReadLabels(IDataView view)
    {
        long[] labels = view.GetColumn<uint>("Label").Select(key => (long)key - 1).ToArray();
        return tensor(labels, new long[] { labels.Length });
    }

    private static IEnumerable<MLImage> Images(IDataView view)
    {
        using DataViewRowCursor cursor = view.GetRowCursor(new[] { view.Schema["Image"] });
        ValueGetter<MLImage> getter = cursor.GetGetter<MLImage>(view.Schema["Image"]);
        var images = new List<MLImage>();
        while (cursor.MoveNext())
        {
            MLImage image = null!;
            getter(ref image);
            images.Add(image);
        }
        return images;
    }

    private static int IntArgument(string[] args, string name, int fallback)
    {
        int at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string StringArgument(string[] args, string name, string fallback)
    {
        int at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
    }
}
