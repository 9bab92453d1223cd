using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Data;
using Microsoft.ML.Gan.Transformers;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Benchmarks;

/// <summary>
/// O-GAN on Fashion-MNIST 60k (issue 3): ρ(z, E(G(z))) on 10k fresh z, a linear probe on <c>Latent</c> beside the raw
/// pixel and untrained-encoder baselines, reconstruction label agreement under the judge (<see cref="FashionMnist.Classifier"/>), the step cost
/// of λ &gt; 0 against λ = 0 measured side by side, a linear probe on z itself for the judge's class of G(z) (how much
/// class structure a perfect inverse of G could offer a linear model), and a PNG of test images, reconstructions and an
/// interpolation row.
/// </summary>
/// <remarks>
/// <c>--only ogan [--ogan-steps N (0: the cost only)] [--ogan-latent D] [--ogan-lambda L] [--ogan-lr R] [--ogan-score-head] [--cost-steps N (0 skips the cost)] [--png PATH] [--classifier PATH] [--skip-baselines]</c>.
/// Needs /usr/share/datasets/fashion-mnist (Debian's dataset-fashion-mnist).
/// </remarks>
internal static class OGanBenchmark
{
    public static void Run(string[] args)
    {
        // Not the library's defaults (the paper's latent 128, λ 0.5): the settings docs/o-gan.md recommends for 28×28
        // images, chosen by the sweep reported there.
        int steps = BenchmarkArguments.Int(args, "--ogan-steps", 4000);
        int latent = BenchmarkArguments.Int(args, "--ogan-latent", 256);
        double lambda = BenchmarkArguments.Double(args, "--ogan-lambda", 14);
        double rate = BenchmarkArguments.Double(args, "--ogan-lr", 1e-4);
        int costSteps = BenchmarkArguments.Int(args, "--cost-steps", 60);
        string png = BenchmarkArguments.String(args, "--png", "docs/o-gan-fashion-mnist.png");
        string classifierPath = BenchmarkArguments.String(args, "--classifier", Path.Combine(Path.GetTempPath(), "gan-fashion-judge.zip"));
        // The untrained, λ = 0 and raw-pixel baselines do not depend on λ or the step count: skip them when sweeping those.
        bool baselines = !BenchmarkArguments.Flag(args, "--skip-baselines");
        bool scoreHead = BenchmarkArguments.Flag(args, "--ogan-score-head");

        var context = new MLContext(seed: 1);
        var fashion = new FashionMnist(context);
        IDataView train = fashion.Train, test = fashion.Test;
        OGanTrainer.Options Options(int maxSteps, double weight) => new()
        {
            Grayscale = true, LatentDimension = latent, CorrelationWeight = weight, MaxSteps = maxSteps, Epochs = 1000,
            GeneratorLearningRate = rate, DiscriminatorLearningRate = rate, Seed = BenchmarkSettings.Seed, LogEveryNSteps = 100,
            UseScoreHead = scoreHead,
        };
        Report.Section($"O-GAN on Fashion-MNIST 60k (DCGAN-28, latent {latent}, λ {lambda}, GAN-QP, Adam {rate:g2} β (0, 0.99), batch 64, score {(scoreHead ? "T(E(x)) head" : "avg(E(x))")})");

        Report.Header("measure", "value");
        if (costSteps > 0)
        {
            // Cost first, on a quiet process: λ > 0 and λ = 0 alternate so that load on a shared machine hits both alike.
            var withRho = new List<double>();
            var without = new List<double>();
            for (int round = 0; round < 2; round++)
            {
                withRho.Add(SecondsPerStep(context, train, Options(costSteps, lambda)));
                without.Add(SecondsPerStep(context, train, Options(costSteps, 0)));
            }
            Report.Row($"step cost, λ = {lambda} (s/step, median of 2 × {costSteps} steps)", Measurements.Median(withRho));
            Report.Row("step cost, λ = 0, same networks (s/step)", Measurements.Median(without));
            Report.Row("cost ratio λ > 0 / λ = 0", Measurements.Median(withRho) / Measurements.Median(without));
        }

        if (steps == 0)
        {
            return;
        }

        var clock = Stopwatch.StartNew();
        using OGanTransformer model = context.Gan().Trainers.OGan(Options(steps, lambda)).Fit(train);
        double trainSeconds = clock.Elapsed.TotalSeconds;
        Report.Row($"training time, {steps} steps (s)", trainSeconds);
        Report.Row("mean ρ(z, E(G(z))), 10k fresh z, trained", model.MeanCorrelation(10_000, seed: 77));
        using Tensor trainImages = Images(train), testImages = Images(test);
        using Tensor trainLabels = Labels(train), testLabels = Labels(test);
        Report.Row("linear probe on Latent (trained encoder), test accuracy",
            Probe(context, Encoded(context, model, trainImages, trainLabels), Encoded(context, model, testImages, testLabels), "Latent"));
        if (baselines)
        {
            using OGanTransformer untrained = context.Gan().Trainers.OGan(Options(1, lambda)).Fit(train);
            using OGanTransformer twin = context.Gan().Trainers.OGan(Options(Math.Max(1, steps / 4), 0)).Fit(train);
            Report.Row("mean ρ, untrained networks (1 step)", untrained.MeanCorrelation(10_000, seed: 77));
            Report.Row($"mean ρ, λ = 0 twin ({Math.Max(1, steps / 4)} steps)", twin.MeanCorrelation(10_000, seed: 77));
            Report.Row("linear probe on Latent (untrained encoder)",
                Probe(context, Encoded(context, untrained, trainImages, trainLabels), Encoded(context, untrained, testImages, testLabels), "Latent"));
            Report.Row("linear probe on raw pixels", Probe(context, train, test, "Image"));
        }

        using ImageClassifierTransformer classifier = fashion.Classifier(classifierPath);
        long[] truth = testLabels.data<long>().ToArray();
        long[] onReal = FashionMnist.Predict(classifier, testImages);
        Tensor reconstructed = Reconstruct(model, testImages);
        long[] onReconstructed = FashionMnist.Predict(classifier, reconstructed);
        Report.Row("judge's accuracy on real test images", Agreement(onReal, truth));
        Report.Row("reconstructions G(N(E(x))) given x's label by the CNN", Agreement(onReconstructed, truth));
        // The probe's ceiling for any inverse of G: how well a linear model on z itself predicts the class of G(z).
        Report.Row("linear probe on z for the judge's class of G(z) (60k z → 10k fresh z)",
            Probe(context, JudgedLatents(context, model, classifier, 60_000, seed: 101), JudgedLatents(context, model, classifier, 10_000, seed: 102), "Latent"));
        Report.Row("total (s)", clock.Elapsed.TotalSeconds);

        SaveFigure(model, testImages, reconstructed, png);
        reconstructed.Dispose();
        Report.Note($"Wrote {Path.GetFullPath(png)}: 8 test images, their reconstructions, and the interpolation from the first to the second.");
    }

    private static double SecondsPerStep(MLContext context, IDataView data, OGanTrainer.Options options)
    {
        int warm = Math.Max(1, options.MaxSteps!.Value / 6);
        double atWarm = 0, atLast = 0;
        options.ProgressCallback = progress =>
        {
            if (progress.IsEpochEnd)
            {
                return;
            }
            if (progress.Step == warm)
            {
                atWarm = progress.Elapsed.TotalSeconds;
            }
            if (progress.Step == progress.TotalSteps)
            {
                atLast = progress.Elapsed.TotalSeconds;
            }
        };
        using OGanTransformer model = context.Gan().Trainers.OGan(options).Fit(data);
        return (atLast - atWarm) / (options.MaxSteps.Value - warm);
    }

    private static double Probe(MLContext context, IDataView train, IDataView test, string features)
    {
        var pipeline = context.Transforms.NormalizeMeanVariance("Features", features)
            .Append(context.MulticlassClassification.Trainers.SdcaMaximumEntropy("Label", "Features", maximumNumberOfIterations: 20));
        // Cached once: the encoder runs a forward pass per row, and SDCA reads the data many times.
        var model = pipeline.Fit(context.Data.Cache(context.Transforms.SelectColumns("Label", features).Fit(train).Transform(train)));
        return context.MulticlassClassification.Evaluate(model.Transform(test)).MicroAccuracy;
    }

    /// <summary>
    /// The <c>Latent</c> column Transform adds, N(E(x)), computed 1,000 images per forward pass: Transform encodes one
    /// row per pass, which on the shared build machine made the 140k-row probes take longer than the training.
    /// </summary>
    private static IDataView Encoded(MLContext context, OGanTransformer model, Tensor images, Tensor labels)
    {
        var codes = new List<float[]>();
        for (long start = 0; start < images.shape[0]; start += 1000)
        {
            using var scope = NewDisposeScope();
            Tensor batch = model.Model.EncodeNormalized(images.narrow(0, start, Math.Min(1000, images.shape[0] - start))).cpu().contiguous();
            int dimension = (int)batch.shape[1];
            float[] flat = batch.data<float>().ToArray();
            for (int row = 0; row < batch.shape[0]; row++)
            {
                codes.Add(flat.AsSpan(row * dimension, dimension).ToArray());
            }
        }
        return LatentView(context, codes, labels.data<long>().ToArray());
    }

    /// <summary>Fresh z ~ N(0, I), each labelled with the class the judge gives G(z).</summary>
    private static IDataView JudgedLatents(MLContext context, OGanTransformer model, ImageClassifierTransformer judge, int count, int seed)
    {
        int dimension = model.Model.LatentDimension;
        var codes = new List<float[]>();
        var classes = new List<long>();
        for (int start = 0; start < count; start += 1000)
        {
            int rows = Math.Min(1000, count - start);
            var latents = new float[rows * dimension];
            for (int i = 0; i < rows; i++)
            {
                Microsoft.ML.Gan.Training.LatentSampler.Fill(latents.AsSpan(i * dimension, dimension), seed, start + i);
                codes.Add(latents.AsSpan(i * dimension, dimension).ToArray());
            }
            var pixels = new float[rows * 28 * 28];
            model.Model.Gan.Generate(latents, rows, pixels);
            using Tensor images = tensor(pixels, new long[] { rows, 1, 28, 28 });
            classes.AddRange(FashionMnist.Predict(judge, images));
        }
        return LatentView(context, codes, classes.ToArray());
    }

    private static IDataView LatentView(MLContext context, List<float[]> codes, long[] truth)
    {
        var schema = SchemaDefinition.Create(typeof(LatentRow));
        schema[nameof(LatentRow.Latent)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, codes[0].Length);
        return context.Data.LoadFromEnumerable(truth.Select((label, i) => new LatentRow { Label = (uint)label + 1, Latent = codes[i] }).ToList(), schema);
    }

    private sealed class LatentRow
    {
        [KeyType(10)]
        public uint Label { get; set; }

        public float[] Latent { get; set; } = Array.Empty<float>();
    }

    internal static Tensor Images(IDataView data) => ImageColumnReader.Create(data.Schema, "Image", grayscale: true).ReadAll(data);

    internal static Tensor Labels(IDataView data) =>
        tensor(data.GetColumn<uint>("Label").Select(label => (long)label - 1).ToArray());

    internal static Tensor Reconstruct(OGanTransformer model, Tensor images)
    {
        var parts = new List<Tensor>();
        for (long start = 0; start < images.shape[0]; start += 1000)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            Tensor codes = model.Model.EncodeNormalized(images.narrow(0, start, Math.Min(1000, images.shape[0] - start)));
            var pixels = new float[codes.shape[0] * 28 * 28];
            model.Model.Gan.Generate(codes.cpu().data<float>().ToArray(), (int)codes.shape[0], pixels);
            parts.Add(tensor(pixels, new long[] { codes.shape[0], 1, 28, 28 }).MoveToOuterDisposeScope());
        }
        Tensor all = cat(parts, 0);
        parts.ForEach(part => part.Dispose());
        return all;
    }

    internal static double Agreement(long[] predicted, long[] truth) => predicted.Zip(truth).Count(pair => pair.First == pair.Second) / (double)truth.Length;

    private static void SaveFigure(OGanTransformer model, Tensor testImages, Tensor reconstructed, string path)
    {
        var shape = new ImageShape(1, 28, 28);
        MLImage ToImage(Tensor image) => ImagePixels.ToImage(image.contiguous().data<float>().ToArray(), shape);
        var tiles = new List<MLImage>();
        for (int i = 0; i < 8; i++)
        {
            tiles.Add(ToImage(testImages[i]));
        }
        for (int i = 0; i < 8; i++)
        {
            tiles.Add(ToImage(reconstructed[i]));
        }
        using MLImage from = ToImage(testImages[0]), to = ToImage(testImages[1]);
        tiles.AddRange(model.Interpolate(from, to, 8));
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        GanImages.SaveGrid(tiles, path, columns: 8);
        tiles.ForEach(tile => tile.Dispose());
    }
}
