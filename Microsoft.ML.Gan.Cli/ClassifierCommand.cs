using System;
using System.CommandLine;
using System.Diagnostics;
using System.IO;
using Microsoft.ML;
using Microsoft.ML.Gan.Persistence;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Gan.Cli;

/// <summary><c>gan classifier train</c>: trains the CNN classifier that <c>gan evaluate --extractor</c> uses.</summary>
internal static class ClassifierCommand
{
    public static System.CommandLine.Command Create()
    {
        var defaults = new ImageClassifierOptions();
        var images = new Option<string>("--images") { Description = "An IDX images file (gzip or plain), e.g. train-images-idx3-ubyte.gz.", Required = true };
        var labels = new Option<string>("--labels") { Description = "The matching IDX labels file, e.g. train-labels-idx1-ubyte.gz.", Required = true };
        var output = new Option<string>("--output", "-o", "--out") { Description = "Where to write the classifier.", DefaultValueFactory = _ => "classifier.zip" };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the data.", DefaultValueFactory = _ => defaults.Epochs };
        var features = new Option<int>("--feature-dim") { Description = "Length of the feature vectors (penultimate layer).", DefaultValueFactory = _ => defaults.FeatureDimension };
        var seed = new Option<int>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 1 };
        var train = new System.CommandLine.Command("train", "Train a CNN image classifier on labelled IDX images; writes a model zip for 'gan evaluate --extractor'.")
        {
            images, labels, output, epochs, features, seed,
        };
        train.SetAction(result => Run(result.GetValue(images)!, result.GetValue(labels)!, result.GetValue(output)!,
            new ImageClassifierOptions { Epochs = result.GetValue(epochs), FeatureDimension = result.GetValue(features), Seed = result.GetValue(seed) }));
        return new System.CommandLine.Command("classifier", "Feature extractors for 'gan evaluate'.") { train };
    }

    private static int Run(string imagesPath, string labelsPath, string outputPath, ImageClassifierOptions options)
    {
        AtomicFile.RequireWritableFile(outputPath, "--output");
        var mlContext = new MLContext(options.Seed);
        mlContext.Log += (_, e) =>
        {
            if (e.Kind is ChannelMessageKind.Info or ChannelMessageKind.Warning && e.Source.StartsWith("ImageClassifierTrainer", StringComparison.Ordinal))
            {
                Console.WriteLine(e.RawMessage);
            }
        };
        IDataView data = mlContext.Data.LoadFromIdxFile(imagesPath, labelsPath);
        Stopwatch clock = Stopwatch.StartNew();
        using ImageClassifierTransformer classifier = mlContext.Gan().Evaluation.TrainClassifier(data, options);
        ModelFile.Save(mlContext, classifier, data.Schema, outputPath);
        Console.WriteLine($"Trained in {clock.Elapsed.TotalSeconds:F0} s; wrote {Path.GetFullPath(outputPath)}.");
        return ExitCodes.Success;
    }
}
