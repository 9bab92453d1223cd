using System;
using System.Collections.Generic;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Features;
using Microsoft.ML.Gan.Persistence;
using Microsoft.ML.Gan.Transformers;

namespace Microsoft.ML.Gan;

/// <summary>
/// A trained GAN's discriminator as a featurizer (Radford et al. 2015, §5.1): adds a <c>Vector&lt;Single,
/// FeatureCount&gt;</c> column holding every convolutional layer's feature map max-pooled to a
/// <see cref="GridSize"/> × <see cref="GridSize"/> grid, concatenated, and (when fitted with normalisation) standardised
/// with the per-feature mean and standard deviation learned at Fit. Made by
/// <see cref="DiscriminatorFeaturesEstimator"/> (<c>mlContext.Gan().Transforms.DiscriminatorFeatures</c>); use it
/// before any ML.NET trainer, with <c>PredictionEngine</c>, and save it with <c>mlContext.Model.Save</c> (alone or in a
/// chain; call <c>mlContext.Gan()</c> before <c>mlContext.Model.Load</c>). It holds its own copy of the discriminator, so
/// it outlives the GAN it came from; dispose it to free that copy.
/// </summary>
public sealed class DiscriminatorFeaturesTransformer : ITransformer, ICanSaveModel, IDisposable
{
    internal const string PayloadKind = "DiscriminatorFeatures";

    internal DiscriminatorFeaturesTransformer(DiscriminatorFeatureNetwork network, FeatureStandardization? standardization, string outputColumnName)
    {
        if (standardization is not null && standardization.Count != network.FeatureCount)
        {
            throw new ArgumentException(FormattableString.Invariant(
                $"The standardisation covers {standardization.Count} features; the network gives {network.FeatureCount}."), nameof(standardization));
        }
        Network = network;
        Standardization = standardization;
        OutputColumnName = outputColumnName;
    }

    /// <summary>The image column it reads.</summary>
    public string InputColumnName => Network.Input.ColumnName;

    /// <summary>The feature column it adds (<c>Features</c> unless told otherwise).</summary>
    public string OutputColumnName { get; }

    /// <summary>The width of the feature vector: the sum over the layers of channels × <see cref="GridSize"/>².</summary>
    public int FeatureCount => Network.FeatureCount;

    /// <summary>The channels of each convolutional layer of the discriminator, input side first.</summary>
    public IReadOnlyList<int> LayerChannels => Network.LayerChannels;

    /// <summary>The side of the grid every layer's feature map is max-pooled to.</summary>
    public int GridSize => Network.GridSize;

    /// <summary>Whether the features are standardised with the statistics learned at Fit.</summary>
    public bool IsNormalized => Standardization is not null;

    /// <summary>The per-feature means learned at Fit; empty when <see cref="IsNormalized"/> is false.</summary>
    public IReadOnlyList<float> Means => Standardization?.Means ?? Array.Empty<float>();

    /// <summary>The per-feature (population) standard deviations learned at Fit; empty when <see cref="IsNormalized"/> is false.</summary>
    public IReadOnlyList<float> StandardDeviations => Standardization?.StandardDeviations ?? Array.Empty<float>();

    /// <summary>The transformer the discriminator came from: <c>GanTransformer</c>, <c>ConditionalGanTransformer</c> or <c>OGanTransformer</c>.</summary>
    public string SourceModel => Network.SourceKind;

    /// <summary>The width in pixels of the images it reads.</summary>
    public int ImageWidth => Network.Shape.Width;

    /// <summary>The height in pixels of the images it reads.</summary>
    public int ImageHeight => Network.Shape.Height;

    /// <summary>Always true: features are computed row by row.</summary>
    public bool IsRowToRowMapper => true;

    /// <summary>The input schema plus the feature column; throws, naming the column and the expected shape, if the image column is missing or does not fit.</summary>
    /// <param name="inputSchema">A schema with the image column.</param>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => CreateMapping(inputSchema).OutputSchema;

    /// <summary>Adds the feature column to every row, computed lazily: a batch of rows per forward pass when they are read in order, else row by row.</summary>
    /// <param name="input">Rows with the image column.</param>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new DiscriminatorFeaturesDataView(input, CreateMapping(input.Schema));
    }

    /// <summary>The row-at-a-time mapper <c>PredictionEngine</c> uses.</summary>
    /// <param name="inputSchema">A schema with the image column.</param>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => new RowToRowMapper(CreateMapping(inputSchema));

    void ICanSaveModel.Save(ModelSaveContext ctx) =>
        MlNetBridge.SaveModel(ctx, PayloadKind, writer => DiscriminatorFeaturesSerializer.Write(writer, this));

    /// <summary>Frees the discriminator copy's native memory; the transformer cannot be used afterwards.</summary>
    public void Dispose() => Network.Dispose();

    internal DiscriminatorFeatureNetwork Network { get; }

    internal FeatureStandardization? Standardization { get; }

    private DiscriminatorFeaturesRowMapping CreateMapping(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return new DiscriminatorFeaturesRowMapping(Network, Standardization, inputSchema, OutputColumnName);
    }
}
