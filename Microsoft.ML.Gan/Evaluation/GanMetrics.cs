using System;
using System.Globalization;
using System.Text;

namespace Microsoft.ML.Gan;

/// <summary>
/// How close generated images are to real ones, measured in a <see cref="FeatureExtractor"/>'s feature space by
/// <see cref="GanCatalog.Evaluate"/>. Lower is better for the distances; higher for precision, recall, Inception Score
/// and mode coverage. See docs/evaluation.md for what good values look like.
/// </summary>
public sealed class GanMetrics
{
    internal GanMetrics(
        double frechetDistance, double kernelDistance, double precision, double recall, double? inceptionScore,
        double? modeCoverage, double? classDistributionKl, double? memorizationRatio, double? generatedToTrainingDistance,
        double? realToTrainingDistance, long generatedCount, long realCount, long trainingCount, int featureDimension,
        int classCount, int nearestNeighbors, int kernelDistanceSubsetSize, int kernelDistanceSubsets)
    {
        FrechetDistance = frechetDistance;
        KernelDistance = kernelDistance;
        Precision = precision;
        Recall = recall;
        InceptionScore = inceptionScore;
        ModeCoverage = modeCoverage;
        ClassDistributionKl = classDistributionKl;
        MemorizationRatio = memorizationRatio;
        GeneratedToTrainingDistance = generatedToTrainingDistance;
        RealToTrainingDistance = realToTrainingDistance;
        GeneratedCount = generatedCount;
        RealCount = realCount;
        TrainingCount = trainingCount;
        FeatureDimension = featureDimension;
        ClassCount = classCount;
        NearestNeighbors = nearestNeighbors;
        KernelDistanceSubsetSize = kernelDistanceSubsetSize;
        KernelDistanceSubsets = kernelDistanceSubsets;
    }

    /// <summary>The Fréchet distance between Gaussians fitted to the real and the generated features (FID with Inception features); 0 is identical.</summary>
    public double FrechetDistance { get; }

    /// <summary>KID: unbiased MMD² with the cubic polynomial kernel, averaged over subsets; about 0 (it can be slightly negative) for the same distribution.</summary>
    public double KernelDistance { get; }

    /// <summary>The share of generated images inside the real images' k-NN manifold (quality).</summary>
    public double Precision { get; }

    /// <summary>The share of real images inside the generated images' k-NN manifold (diversity).</summary>
    public double Recall { get; }

    /// <summary>exp(E KL(p(y|x) ‖ p(y))) over the generated images, between 1 and <see cref="ClassCount"/>; null when the extractor does not classify.</summary>
    public double? InceptionScore { get; }

    /// <summary>The share of the classes predicted for real images that at least one generated image is predicted as; null without a classifying extractor.</summary>
    public double? ModeCoverage { get; }

    /// <summary>KL(generated ‖ real) in nats between predicted-class frequencies; 0 when they match; null without a classifying extractor.</summary>
    public double? ClassDistributionKl { get; }

    /// <summary>
    /// <see cref="GeneratedToTrainingDistance"/> / <see cref="RealToTrainingDistance"/>: below 1 the generated images are
    /// closer to the training images than held-out real images are (a sign of copying); null without training images.
    /// </summary>
    public double? MemorizationRatio { get; }

    /// <summary>The mean feature distance from a generated image to its nearest training image; null without training images.</summary>
    public double? GeneratedToTrainingDistance { get; }

    /// <summary>The mean feature distance from a real (held-out) image to its nearest training image; null without training images.</summary>
    public double? RealToTrainingDistance { get; }

    /// <summary>Generated images used.</summary>
    public long GeneratedCount { get; }

    /// <summary>Real images used.</summary>
    public long RealCount { get; }

    /// <summary>Training images used; 0 when none were given.</summary>
    public long TrainingCount { get; }

    /// <summary>The length of the feature vectors compared.</summary>
    public int FeatureDimension { get; }

    /// <summary>The extractor's class count; 0 when it does not classify.</summary>
    public int ClassCount { get; }

    /// <summary>k of the precision/recall manifolds.</summary>
    public int NearestNeighbors { get; }

    /// <summary>Rows per KID subset actually used.</summary>
    public int KernelDistanceSubsetSize { get; }

    /// <summary>KID subsets averaged.</summary>
    public int KernelDistanceSubsets { get; }

    /// <summary>The metrics as a two-column text table, one metric a line.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        void Line(string name, string value) => text.Append(CultureInfo.InvariantCulture, $"{name,-28} {value}").AppendLine();
        Line("FrechetDistance", Format(FrechetDistance));
        Line("KernelDistance", Format(KernelDistance));
        Line("Precision", Format(Precision));
        Line("Recall", Format(Recall));
        Line("InceptionScore", Format(InceptionScore));
        Line("ModeCoverage", Format(ModeCoverage));
        Line("ClassDistributionKl", Format(ClassDistributionKl));
        Line("MemorizationRatio", Format(MemorizationRatio));
        Line("GeneratedToTrainingDistance", Format(GeneratedToTrainingDistance));
        Line("RealToTrainingDistance", Format(RealToTrainingDistance));
        Line("GeneratedCount", GeneratedCount.ToString(CultureInfo.InvariantCulture));
        Line("RealCount", RealCount.ToString(CultureInfo.InvariantCulture));
        Line("TrainingCount", TrainingCount.ToString(CultureInfo.InvariantCulture));
        Line("FeatureDimension", FeatureDimension.ToString(CultureInfo.InvariantCulture));
        Line("ClassCount", ClassCount.ToString(CultureInfo.InvariantCulture));
        Line("NearestNeighbors", NearestNeighbors.ToString(CultureInfo.InvariantCulture));
        Line("KernelDistanceSubsets", string.Create(CultureInfo.InvariantCulture, $"{KernelDistanceSubsets} x {KernelDistanceSubsetSize}"));
        return text.ToString();
    }

    /// <summary>A metric as the table prints it: 4 significant decimals, "n/a" for null.</summary>
    /// <param name="value">The metric.</param>
    public static string Format(double? value) => value switch
    {
        null => "n/a",
        double v when double.IsPositiveInfinity(v) => "inf",
        double v when Math.Abs(v) >= 100 => v.ToString("F1", CultureInfo.InvariantCulture),
        double v => v.ToString("0.0000", CultureInfo.InvariantCulture),
    };
}
