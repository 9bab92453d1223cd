using System;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Data;
using Microsoft.ML.Gan.Features;
using Microsoft.ML.Gan.Persistence;

namespace Microsoft.ML.Gan;

/// <summary>
/// Makes a <see cref="DiscriminatorFeaturesTransformer"/> from a trained GAN (plain, conditional or O-GAN):
/// <c>mlContext.Gan().Transforms.DiscriminatorFeatures(gan)</c>. <see cref="Fit"/> copies the discriminator's image path
/// and, with <see cref="Options.Normalize"/>, learns each feature's mean and standard deviation on the input images
/// (no labels needed), so that linear ML.NET trainers get standardised inputs.
/// </summary>
/// <remarks>
/// Which network is featurized: a <see cref="GanTransformer"/>'s discriminator; an <see cref="OGanTransformer"/>'s
/// encoder E; a <see cref="ConditionalGanTransformer"/>'s image path φ(x), which does not read the label (its class
/// input enters only at the last layer), so the features need no label column and can describe unlabelled images.
/// Only convolutional discriminators have feature maps: a model trained with <see cref="GanArchitecture.Mlp"/> is refused.
/// </remarks>
public sealed class DiscriminatorFeaturesEstimator : IEstimator<DiscriminatorFeaturesTransformer>
{
    /// <summary>The largest <see cref="Options.GridSize"/>: beyond it the features would outnumber the pixels of any layer this library builds.</summary>
    public const int MaxGridSize = 32;

    private readonly GanTransformerBase _model;
    private readonly Options _options;

    internal DiscriminatorFeaturesEstimator(GanTransformerBase model, Options options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        DiscriminatorFeatureNetwork.CheckSupported(model);
        _model = model;
        _options = options.Copy();
    }

    /// <summary>The settings of <see cref="DiscriminatorFeaturesEstimator"/>.</summary>
    public sealed class Options
    {
        /// <summary>The feature column to add.</summary>
        public string OutputColumnName = DefaultColumnNames.Features;

        /// <summary>The image column to read; null for the column the GAN was trained on. It must hold images of the GAN's size and channels.</summary>
        public string? InputColumnName;

        /// <summary>The side of the grid each layer's feature map is max-pooled to (Radford et al. use 4): each layer gives channels × GridSize² features.</summary>
        public int GridSize = 4;

        /// <summary>Standardise every feature with the mean and standard deviation learned at Fit (what linear trainers such as SDCA and L-BFGS need).</summary>
        public bool Normalize = true;

        /// <summary>Images per forward pass while Fit learns the statistics.</summary>
        public int BatchSize = 256;

        internal void Validate()
        {
            if (string.IsNullOrWhiteSpace(OutputColumnName))
            {
                throw new ArgumentException("OutputColumnName must name the feature column to add.", nameof(OutputColumnName));
            }
            if (InputColumnName is not null && string.IsNullOrWhiteSpace(InputColumnName))
            {
                throw new ArgumentException("InputColumnName must name an image column, or be null for the GAN's training column.", nameof(InputColumnName));
            }
            if (GridSize < 1 || GridSize > MaxGridSize)
            {
                throw new ArgumentOutOfRangeException(nameof(GridSize), GridSize, $"GridSize must be between 1 and {MaxGridSize}.");
            }
            if (BatchSize < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be at least 1.");
            }
        }

        internal Options Copy() => (Options)MemberwiseClone();
    }

    /// <summary>
    /// Copies the discriminator and, with <see cref="Options.Normalize"/>, reads every image of <paramref name="input"/>
    /// once to learn the per-feature mean and standard deviation.
    /// </summary>
    /// <param name="input">Rows with the image column (labels are not read).</param>
    /// <exception cref="ArgumentException">The image column is missing, or its type or shape does not fit the GAN; the message names the column and the shape.</exception>
    /// <exception cref="InvalidOperationException">Normalisation was asked for and the data has no rows, or holds out-of-range pixels.</exception>
    /// <exception cref="ObjectDisposedException">The GAN was disposed.</exception>
    public DiscriminatorFeaturesTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        string column = InputColumnName;
        ImageInputFormat format = _model.Networks.Input with { ColumnName = column };
        ImageColumnReader reader = ImageColumnReader.Create(input.Schema, column, format.ReadsLuminance, format.Shape, format.InputScale);
        DiscriminatorFeatureNetwork network = DiscriminatorFeatureNetwork.CopyFrom(_model, column, _options.GridSize);
        try
        {
            FeatureStandardization? standardization = _options.Normalize ? Learn(network, reader, input) : null;
            return new DiscriminatorFeaturesTransformer(network, standardization, _options.OutputColumnName);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>The input columns plus the feature column (a known-size Single vector); checks the image column first.</summary>
    /// <param name="inputSchema">The shape of the data <see cref="Fit"/> will get.</param>
    /// <exception cref="ArgumentOutOfRangeException">The image column is missing or holds neither images nor Single vectors.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ImageColumnShape.Require(inputSchema, InputColumnName);
        SchemaShape.Column features = MlNetBridge.CreateColumn(_options.OutputColumnName, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, isKey: false);
        return new SchemaShape(inputSchema.Where(column => column.Name != features.Name).Append(features));
    }

    private string InputColumnName => _options.InputColumnName ?? _model.ImageColumnName;

    private FeatureStandardization Learn(DiscriminatorFeatureNetwork network, ImageColumnReader reader, IDataView input)
    {
        int pixels = network.Shape.PixelCount;
        int batch = _options.BatchSize;
        var images = new float[batch * pixels];
        var features = new float[batch * network.FeatureCount];
        var accumulator = new FeatureStandardization.Accumulator(network.FeatureCount);
        using DataViewRowCursor cursor = input.GetRowCursor(new[] { input.Schema[reader.ColumnName] });
        Action<Span<float>> readImage = reader.CreateRowReader(cursor);
        int filled = 0;
        long rows = 0;
        void Flush()
        {
            network.Extract(images, filled, features);
            accumulator.Add(features, filled);
            filled = 0;
        }
        while (cursor.MoveNext())
        {
            readImage(images.AsSpan(filled * pixels, pixels));
            filled++;
            rows++;
            if (filled == batch)
            {
                Flush();
            }
        }
        if (rows == 0)
        {
            throw reader.NoRows();
        }
        if (filled > 0)
        {
            Flush();
        }
        return accumulator.ToStandardization();
    }
}
