using System;
using System.Globalization;
using Microsoft.ML.Gan.Data;
using Microsoft.ML.Gan.Persistence;
using Microsoft.ML.Runtime;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Evaluation;

/// <summary>Reads the image sets, extracts their features and computes <see cref="GanMetrics"/>.</summary>
internal static class GanEvaluator
{
    public static GanMetrics Evaluate(IHostEnvironment environment, IDataView generated, IDataView real, FeatureExtractor extractor, GanEvaluationOptions options)
    {
        ArgumentNullException.ThrowIfNull(generated);
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(extractor);
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);

        // Every column is checked before any image is read or any feature extracted.
        bool grayscale = extractor.ImageChannels == 1;
        ImageColumnReader generatedReader = ImageColumnReader.Create(generated.Schema, options.GeneratedImageColumnName, grayscale);
        ImageColumnReader realReader = ImageColumnReader.Create(real.Schema, options.RealImageColumnName, grayscale);
        ImageColumnReader? trainingReader = options.Training is null
            ? null
            : ImageColumnReader.Create(options.Training.Schema, options.TrainingImageColumnName, grayscale);

        IHost host = environment.Register(nameof(GanEvaluator));
        using IChannel channel = host.Start("Evaluating GAN");
        Action checkAlive = () =>
        {
            if (MlNetBridge.IsCanceled(host))
            {
                throw new OperationCanceledException("GAN evaluation was cancelled.");
            }
        };

        using ExtractedFeatures generatedFeatures = Extract(generatedReader, generated, "generated", extractor, options, channel, checkAlive);
        using ExtractedFeatures realFeatures = Extract(realReader, real, "real", extractor, options, channel, checkAlive);
        using ExtractedFeatures? trainingFeatures = trainingReader is null
            ? null
            : Extract(trainingReader, options.Training!, "training", extractor, options, channel, checkAlive);

        channel.Info(MessageSensitivity.None, "Computing the metrics.");
        Tensor g = generatedFeatures.Features, r = realFeatures.Features;
        double frechet = FrechetDistance.Compute(r, g);
        int subsetSize = (int)Math.Min(options.KernelDistanceSubsetSize, Math.Min(g.shape[0], r.shape[0]));
        double kernel = KernelDistance.Compute(r, g, subsetSize, options.KernelDistanceSubsets, options.Seed);
        double precision = NearestNeighbors.ManifoldCoverage(g, r, options.NearestNeighbors, checkAlive);
        double recall = NearestNeighbors.ManifoldCoverage(r, g, options.NearestNeighbors, checkAlive);

        double? inception = null, coverage = null, kl = null;
        if (generatedFeatures.Probabilities is Tensor generatedProbabilities && realFeatures.Probabilities is Tensor realProbabilities)
        {
            inception = ClassStatistics.InceptionScore(generatedProbabilities);
            long[] realCounts = ClassStatistics.PredictedClassCounts(realProbabilities);
            long[] generatedCounts = ClassStatistics.PredictedClassCounts(generatedProbabilities);
            coverage = ClassStatistics.ModeCoverage(realCounts, generatedCounts);
            kl = ClassStatistics.ClassDistributionKl(realCounts, generatedCounts);
        }

        double? generatedToTraining = null, realToTraining = null, memorization = null;
        if (trainingFeatures is not null)
        {
            generatedToTraining = NearestNeighbors.MeanNearestDistance(g, trainingFeatures.Features, checkAlive);
            realToTraining = NearestNeighbors.MeanNearestDistance(r, trainingFeatures.Features, checkAlive);
            memorization = generatedToTraining / realToTraining;
        }

        return new GanMetrics(frechet, kernel, precision, recall, inception, coverage, kl, memorization, generatedToTraining,
            realToTraining, g.shape[0], r.shape[0], trainingFeatures?.Count ?? 0, extractor.FeatureDimension, extractor.ClassCount,
            options.NearestNeighbors, subsetSize, options.KernelDistanceSubsets);
    }

    private static ExtractedFeatures Extract(ImageColumnReader reader, IDataView data, string role, FeatureExtractor extractor,
        GanEvaluationOptions options, IChannel channel, Action checkAlive)
    {
        using Tensor images = reader.ReadAll(data, checkAlive);
        extractor.CheckInput(reader.Shape, reader.ColumnName, role);
        long count = images.shape[0];
        long needed = Math.Max(2, options.NearestNeighbors + 1);
        if (role != "training" && count < needed)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"Column '{reader.ColumnName}' holds {count} {role} image(s); the metrics need at least {needed} (a covariance needs 2, the k-NN manifolds k + 1 with k = {options.NearestNeighbors})."));
        }

        channel.Info(MessageSensitivity.None, string.Create(CultureInfo.InvariantCulture, $"Extracting features of {count} {role} images."));
        return extractor.Extract(images, options.BatchSize, checkAlive);
    }

    private static void Validate(GanEvaluationOptions options)
    {
        if (options.NearestNeighbors < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(GanEvaluationOptions.NearestNeighbors), options.NearestNeighbors, "NearestNeighbors (k) must be ≥ 1.");
        }

        if (options.KernelDistanceSubsetSize < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(GanEvaluationOptions.KernelDistanceSubsetSize), options.KernelDistanceSubsetSize, "KernelDistanceSubsetSize must be ≥ 2.");
        }

        if (options.KernelDistanceSubsets < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(GanEvaluationOptions.KernelDistanceSubsets), options.KernelDistanceSubsets, "KernelDistanceSubsets must be ≥ 1.");
        }

        if (options.BatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(GanEvaluationOptions.BatchSize), options.BatchSize, "BatchSize must be ≥ 1.");
        }
    }
}
