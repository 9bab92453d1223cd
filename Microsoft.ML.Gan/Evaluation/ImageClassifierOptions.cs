using System;

namespace Microsoft.ML.Gan;

/// <summary>Options of <c>mlContext.Gan().Evaluation.TrainClassifier</c>: the CNN image classifier used as a feature extractor.</summary>
public sealed class ImageClassifierOptions
{
    /// <summary>The image column: <c>MLImage</c> or <c>Vector&lt;Single, C, H, W&gt;</c> (as <c>LoadFromIdxFile</c> makes).</summary>
    public string ImageColumnName = DefaultColumnNames.Image;

    /// <summary>The label column: a key (as <c>LoadFromIdxFile</c> and <c>MapValueToKey</c> make) or non-negative whole numbers (any integer type, or Single/Double holding whole numbers).</summary>
    public string LabelColumnName = DefaultColumnNames.Label;

    /// <summary>For <c>MLImage</c> columns: read one luminance channel instead of R, G, B.</summary>
    public bool Grayscale;

    /// <summary>The length of the feature vectors (the penultimate layer).</summary>
    public int FeatureDimension = 128;

    /// <summary>Passes over the data.</summary>
    public int Epochs = 2;

    /// <summary>Images per update.</summary>
    public int BatchSize = 64;

    /// <summary>Adam's learning rate.</summary>
    public double LearningRate = 1e-3;

    /// <summary>Seed of the weights and the batch order; null draws it from the MLContext's seed.</summary>
    public int? Seed;

    internal void Validate()
    {
        if (string.IsNullOrEmpty(ImageColumnName))
        {
            throw new ArgumentException("ImageColumnName must name the image column.", nameof(ImageColumnName));
        }

        if (string.IsNullOrEmpty(LabelColumnName))
        {
            throw new ArgumentException("LabelColumnName must name the label column.", nameof(LabelColumnName));
        }

        Positive(FeatureDimension, nameof(FeatureDimension));
        Positive(Epochs, nameof(Epochs));
        if (BatchSize < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be ≥ 2 (batch normalisation needs two images).");
        }

        if (!(LearningRate > 0) || double.IsInfinity(LearningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "LearningRate must be a positive number.");
        }
    }

    private static void Positive(int value, string name)
    {
        if (value < 1)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be ≥ 1.");
        }
    }
}
