namespace Microsoft.ML.Gan;

/// <summary>Transforms made from trained GANs: <c>mlContext.Gan().Transforms</c>.</summary>
public sealed class GanTransformsCatalog
{
    internal GanTransformsCatalog()
    {
    }

    /// <summary>
    /// A featurizer from <paramref name="model"/>'s discriminator (Radford et al. 2015, §5.1): every convolutional
    /// layer's feature map max-pooled to a <paramref name="gridSize"/> × <paramref name="gridSize"/> grid and concatenated
    /// into one <c>Vector&lt;Single&gt;</c> column, standardised with statistics learned at Fit when
    /// <paramref name="normalize"/> is true. Put it before any ML.NET trainer; see docs/features.md.
    /// </summary>
    /// <param name="model">A trained <see cref="GanTransformer"/>, <see cref="ConditionalGanTransformer"/> (its image path; no label is read) or <see cref="OGanTransformer"/> (its encoder), with a convolutional (Dcgan) discriminator. The featurizer copies the weights it needs at Fit.</param>
    /// <param name="outputColumnName">The feature column to add.</param>
    /// <param name="inputColumnName">The image column to read; null for the column the GAN was trained on.</param>
    /// <param name="gridSize">The side of the grid each layer is max-pooled to (1 to <see cref="DiscriminatorFeaturesEstimator.MaxGridSize"/>).</param>
    /// <param name="normalize">Standardise each feature with its mean and standard deviation over the Fit data.</param>
    /// <exception cref="System.ArgumentException">The model's discriminator is not convolutional, or an argument is invalid.</exception>
    public DiscriminatorFeaturesEstimator DiscriminatorFeatures(GanTransformerBase model, string outputColumnName = DefaultColumnNames.Features,
        string? inputColumnName = null, int gridSize = 4, bool normalize = true) =>
        new(model, new DiscriminatorFeaturesEstimator.Options
        {
            OutputColumnName = outputColumnName,
            InputColumnName = inputColumnName,
            GridSize = gridSize,
            Normalize = normalize,
        });

    /// <summary>The featurizer of <see cref="DiscriminatorFeatures(GanTransformerBase, string, string?, int, bool)"/> with every option available.</summary>
    /// <param name="model">A trained GAN with a convolutional discriminator.</param>
    /// <param name="options">The featurizer's options; checked here.</param>
    public DiscriminatorFeaturesEstimator DiscriminatorFeatures(GanTransformerBase model, DiscriminatorFeaturesEstimator.Options options) =>
        new(model, options);
}
