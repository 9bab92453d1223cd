using Microsoft.ML.Gan.Evaluation;

namespace Microsoft.ML.Gan;

/// <summary>Feature extractors for <see cref="GanCatalog.Evaluate"/>: <c>mlContext.Gan().Evaluation</c>.</summary>
public sealed class GanEvaluationCatalog
{
    private readonly MLContext _context;

    internal GanEvaluationCatalog(MLContext context)
    {
        _context = context;
    }

    /// <summary>
    /// Trains a small CNN classifier on labelled real images, to use as a <see cref="FeatureExtractor"/> (and as an
    /// ordinary classifier). On Fashion-MNIST, 2 epochs on the 60k training set reach about 90% test accuracy.
    /// </summary>
    /// <param name="data">Rows with an image column and a label column.</param>
    /// <param name="imageColumnName">The image column: <c>MLImage</c> or <c>Vector&lt;Single, C, H, W&gt;</c>.</param>
    /// <param name="labelColumnName">The label column: a key (as <c>LoadFromIdxFile</c> makes) or whole numbers 0, 1, ....</param>
    /// <param name="epochs">Passes over the data.</param>
    /// <exception cref="System.ArgumentException">An option is invalid, or a column is missing or of an unsupported type.</exception>
    /// <exception cref="System.InvalidOperationException">The data is empty, has a missing or invalid label, or fewer than 2 classes.</exception>
    public ImageClassifierTransformer TrainClassifier(IDataView data, string imageColumnName = DefaultColumnNames.Image, string labelColumnName = DefaultColumnNames.Label, int epochs = 2) =>
        TrainClassifier(data, new ImageClassifierOptions { ImageColumnName = imageColumnName, LabelColumnName = labelColumnName, Epochs = epochs });

    /// <summary>Trains the CNN classifier with every option available.</summary>
    /// <param name="data">Rows with an image column and a label column.</param>
    /// <param name="options">The classifier's options; checked before any data is read.</param>
    public ImageClassifierTransformer TrainClassifier(IDataView data, ImageClassifierOptions options) =>
        ImageClassifierTrainer.Train(_context, data, options);
}
