using System;
using System.CommandLine;
using System.IO;
using System.Text.Json;
using Microsoft.ML;

namespace Microsoft.ML.Gan.Cli;

/// <summary><c>gan evaluate</c>: scores a saved generator against real images and prints <see cref="GanMetrics"/>.</summary>
internal static class EvaluateCommand
{
    public static System.CommandLine.Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "A model.zip written by 'gan train' or mlContext.Model.Save.", DefaultValueFactory = _ => "model.zip" };
        var real = new Option<string>("--real") { Description = "Real held-out images: an IDX images file or a folder of .png/.jpg/.bmp.", Required = true };
        var extractor = new Option<string>("--extractor") { Description = "The feature extractor: a classifier.zip from 'gan classifier train', or a TorchScript file (.pt).", Required = true };
        var training = new Option<string?>("--training") { Description = "The training images (IDX or folder), for the memorisation ratio." };
        var count = new Option<int>("--count", "-n") { Description = "How many images to generate and score.", DefaultValueFactory = _ => 10_000 };
        var seed = new Option<int>("--seed") { Description = "Seed of the latent vectors and the KID subsets.", DefaultValueFactory = _ => 1 };
        var json = new Option<bool>("--json") { Description = "Print the metrics as JSON instead of a table." };
        var size = new Option<int?>("--extractor-size") { Description = "TorchScript extractors: the side of the images the module reads (e.g. 299 for Inception). Default: the model's image size." };
        var channels = new Option<int>("--extractor-channels") { Description = "TorchScript extractors: 1 or 3 channels.", DefaultValueFactory = _ => 3 };
        var range = new Option<PixelRange>("--extractor-range") { Description = "TorchScript extractors: MinusOneToOne, ZeroToOne or ZeroTo255.", DefaultValueFactory = _ => PixelRange.MinusOneToOne };

        var command = new System.CommandLine.Command("evaluate", "Score a GAN model's images against real images: FID, KID, precision, recall, IS, mode coverage, memorisation.")
        {
            model, real, extractor, training, count, seed, TruncationFlag.Option, json, size, channels, range,
        };
        command.SetAction(result => Run(new Arguments(result.GetValue(model)!, result.GetValue(real)!, result.GetValue(extractor)!, result.GetValue(training),
            result.GetValue(count), result.GetValue(seed), TruncationFlag.Read(result), result.GetValue(json), result.GetValue(size), result.GetValue(channels), result.GetValue(range))));
        return command;
    }

    private static int Run(Arguments arguments)
    {
        if (arguments.Count < 4)
        {
            throw new ArgumentException($"--count must be ≥ 4 (the metrics need a covariance and k-NN manifolds); got {arguments.Count}.");
        }

        var mlContext = new MLContext(arguments.Seed);
        using GanTransformer gan = ModelFile.Load<GanTransformer>(mlContext, arguments.Model, "GAN model");
        using FeatureExtractor extractor = LoadExtractor(mlContext, arguments, gan.ImageWidth);
        IDataView real = TrainingDataLoader.LoadForModel(mlContext, arguments.Real, gan.ImageWidth);
        IDataView? training = arguments.Training is null ? null : TrainingDataLoader.LoadForModel(mlContext, arguments.Training, gan.ImageWidth);

        GanMetrics metrics = mlContext.Gan().Evaluate(gan.Generate(arguments.Count, arguments.Seed, arguments.Truncation), real, extractor,
            new GanEvaluationOptions { Training = training, Seed = arguments.Seed });
        Console.Write(arguments.Json ? ToJson(metrics) + Environment.NewLine : metrics.ToString());
        return ExitCodes.Success;
    }

    private static FeatureExtractor LoadExtractor(MLContext mlContext, Arguments arguments, int modelSize)
    {
        if (string.Equals(Path.GetExtension(arguments.Extractor), ".zip", StringComparison.OrdinalIgnoreCase))
        {
            return ModelFile.Load<ImageClassifierTransformer>(mlContext, arguments.Extractor, "image classifier");
        }

        if (!File.Exists(arguments.Extractor))
        {
            throw new FileNotFoundException($"No feature extractor file at '{arguments.Extractor}'.", arguments.Extractor);
        }

        int side = arguments.ExtractorSize ?? modelSize;
        try
        {
            return FeatureExtractor.FromTorchScript(arguments.Extractor, side, side, arguments.ExtractorChannels, arguments.ExtractorRange);
        }
        catch (InvalidDataException e)
        {
            throw new ArgumentException(e.Message, e);
        }
    }

    private static string ToJson(GanMetrics m) => JsonSerializer.Serialize(new
    {
        m.FrechetDistance,
        m.KernelDistance,
        m.Precision,
        m.Recall,
        m.InceptionScore,
        m.ModeCoverage,
        ClassDistributionKl = m.ClassDistributionKl is double kl && double.IsInfinity(kl) ? null : m.ClassDistributionKl,
        m.MemorizationRatio,
        m.GeneratedToTrainingDistance,
        m.RealToTrainingDistance,
        m.GeneratedCount,
        m.RealCount,
        m.TrainingCount,
        m.FeatureDimension,
        m.ClassCount,
        m.NearestNeighbors,
        m.KernelDistanceSubsetSize,
        m.KernelDistanceSubsets,
    }, new JsonSerializerOptions { WriteIndented = true });

    private sealed record Arguments(string Model, string Real, string Extractor, string? Training, int Count, int Seed, double? Truncation, bool Json,
        int? ExtractorSize, int ExtractorChannels, PixelRange ExtractorRange);
}
