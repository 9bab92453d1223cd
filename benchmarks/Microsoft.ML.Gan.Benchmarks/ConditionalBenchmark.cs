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
/// Conditional generation on Fashion-MNIST: trains a conditional DCGAN on the 60k training set and reports, per class,
/// the share of generated images the judge (<see cref="FashionMnist.Classifier"/>) assigns to the requested class, and
/// FID / precision / recall of that class's samples against the same class's test images. Also writes a 10×10 grid,
/// one row per class.
/// </summary>
/// <remarks>
/// dotnet run -c Release --project benchmarks/Microsoft.ML.Gan.Benchmarks -- --only conditional [--steps N] [--grid PATH] [--classifier PATH] [--model PATH]
/// (--classifier: the judge's model file, loaded when it exists, else trained and saved there, so reruns skip its training;
/// --model: the same for the conditional GAN)
/// </remarks>
internal static class ConditionalBenchmark
{
    private const int SamplesPerClass = 1000;

    public static void Run(string[] args)
    {
        int steps = BenchmarkArguments.Int(args, "--steps", 3000);
        string grid = BenchmarkArguments.String(args, "--grid", "conditional-fashion-mnist.png");
        string classifierPath = BenchmarkArguments.String(args, "--classifier", Path.Combine(Path.GetTempPath(), "gan-fashion-judge.zip"));
        string? modelPath = BenchmarkArguments.String(args, "--model");
        var context = new MLContext(seed: 1);
        var clock = Stopwatch.StartNew();
        var fashion = new FashionMnist(context);
        Report.Section($"Conditional GAN on Fashion-MNIST ({fashion.Train.GetRowCount()} training images)");

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
        Report.Note($"conditional GAN: {options.Conditioning}, {options.Architecture}, {options.Loss}, batch {options.BatchSize}, {steps} generator updates");
        var fit = Stopwatch.StartNew();
        context.Log += (_, e) =>
        {
            if (e.Source.StartsWith(nameof(ConditionalGanTrainer), StringComparison.Ordinal) && e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Info && e.RawMessage.StartsWith("step", StringComparison.Ordinal))
            {
                Console.WriteLine($"  [{fit.Elapsed.TotalSeconds:F0} s] {e.RawMessage}");
            }
        };
        ConditionalGanTransformer model;
        if (modelPath is not null && File.Exists(modelPath))
        {
            context.Gan(); // registers the library's model loaders with this MLContext, which Model.Load needs
            model = (ConditionalGanTransformer)context.Model.Load(modelPath, out _);
            Report.Note($"loaded {modelPath} ({model.TrainingHistory[^1].Step} generator updates)");
        }
        else
        {
            model = context.Gan().Trainers.ConditionalGan(options).Fit(fashion.Train);
            double fitSeconds = fit.Elapsed.TotalSeconds;
            Report.Note(string.Create(CultureInfo.InvariantCulture, $"trained in {fitSeconds:F0} s ({steps / fitSeconds:F2} generator updates/s)"));
            if (modelPath is not null)
            {
                context.Model.Save(model, fashion.Train.Schema, modelPath);
            }
        }

        var rows = new List<MLImage>();
        for (int c = 0; c < FashionMnist.ClassNames.Length; c++)
        {
            rows.AddRange(Images(model.Generate(10, FashionMnist.ClassNames[c], seed: 7)));
        }
        GanImages.SaveGrid(rows, grid, columns: 10);
        rows.ForEach(image => image.Dispose());
        Report.Note($"wrote {Path.GetFullPath(grid)}");

        using ImageClassifierTransformer classifier = fashion.Classifier(classifierPath);
        Report.Header("class", "classified as requested", "FID", "precision", "recall", "real: FID of 1,000 training images", "test images", "s");
        double total = 0;
        for (int c = 0; c < FashionMnist.ClassNames.Length; c++)
        {
            var classClock = Stopwatch.StartNew();
            // Not cached: ML.NET's cache drops MLImage columns. Generating is deterministic, so both reads see the same images.
            IDataView generated = model.Generate(SamplesPerClass, FashionMnist.ClassNames[c], seed: 100 + c);
            double share = FashionMnist.Predict(classifier, generated).Count(p => p == c) / (double)SamplesPerClass;
            total += share;
            IDataView real = fashion.OfClass(fashion.Test, c);
            long realCount = real.GetColumn<uint>("Label").LongCount();
            GanMetrics metrics = context.Gan().Evaluate(generated, real, classifier, new GanEvaluationOptions { Seed = 1 });
            // The floor for this class: 1,000 real training images of the class against its test images.
            IDataView realTrain = context.Data.TakeRows(fashion.OfClass(fashion.Train, c), SamplesPerClass);
            GanMetrics floor = context.Gan().Evaluate(realTrain, real, classifier, new GanEvaluationOptions { Seed = 1 });
            Report.Row(FashionMnist.ClassNames[c], share.ToString("P1", CultureInfo.InvariantCulture), metrics.FrechetDistance, metrics.Precision, metrics.Recall,
                floor.FrechetDistance, realCount, classClock.Elapsed.TotalSeconds);
        }
        Report.Row($"all ({SamplesPerClass} per class)", (total / FashionMnist.ClassNames.Length).ToString("P1", CultureInfo.InvariantCulture), "", "", "", "", "", "");
        Report.Note("FID, precision and recall per class: that class's 1,000 samples against its 1,000 test images, in the judge's feature space (k = 3).");
        Report.Note(string.Create(CultureInfo.InvariantCulture, $"total {clock.Elapsed.TotalSeconds:F0} s"));
        model.Dispose();
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
}
