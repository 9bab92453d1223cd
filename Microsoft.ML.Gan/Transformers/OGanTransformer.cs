using System;
using System.Collections.Generic;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Data;
using Microsoft.ML.Gan.Persistence;
using Microsoft.ML.Gan.Transformers;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Gan;

/// <summary>
/// A trained O-GAN, produced by <see cref="OGanTrainer"/>: a generator that samples and a discriminator that encodes.
/// <see cref="GanTransformerBase.Transform"/> adds <c>Latent</c> (the code N(E(x))) and <c>Score</c> to images in the training column's
/// format, so it chains as a featurizer; <see cref="Encoder"/> and <see cref="GanTransformerBase.Generator"/> are its two halves as
/// transformers; <see cref="Generate(int, int?, double?, string, string)"/>, <see cref="Reconstruct"/>, <see cref="GenerateInterpolation"/> and <see cref="Interpolate"/> make images.
/// Save it with <c>mlContext.Model.Save</c>; call <c>mlContext.Gan()</c> before <c>mlContext.Model.Load</c>.
/// </summary>
public sealed class OGanTransformer : GanTransformerBase
{
    internal const string PayloadKind = "OGanTransformer";

    /// <summary>The code column <see cref="GanTransformerBase.Transform"/> adds: <see cref="OGanTrainer.Options.LatentColumnName"/> (<c>Latent</c> by default).</summary>
    public string LatentColumnName => _model.Gan.LatentColumnName;

    /// <summary>The name of the column <see cref="Reconstruct"/> adds unless told otherwise.</summary>
    public const string ReconstructionColumnName = DefaultColumnNames.Reconstruction;

    private readonly OGanModel _model;

    internal OGanTransformer(IHostEnvironment environment, OGanModel model)
        : base(environment, nameof(OGanTransformer), model.Gan)
    {
        _model = model;
        Encoder = new OGanEncoderTransformer(model, ownsModel: false);
    }

    /// <summary>The encoder alone, as a transformer from the image column to <c>Latent</c>. It shares this transformer's networks.</summary>
    public OGanEncoderTransformer Encoder { get; }

    /// <summary>Whether <c>Score</c> comes from a trained head T(E(x)) rather than avg(E(x)).</summary>
    public bool UsesScoreHead => _model.HasScoreHead;

    /// <summary>
    /// Samples <paramref name="count"/> new images, as <see cref="GanTransformer.Generate(int, int?, double?, string, string)"/> does: image i
    /// depends only on (<paramref name="seed"/>, i).
    /// </summary>
    /// <param name="count">How many images; 0 gives an empty view.</param>
    /// <param name="seed">The seed of the latent vectors; null draws one from the MLContext's random source.</param>
    /// <param name="truncation">Null for the standard normal; a threshold t &gt; 0 redraws latent values with |z| &gt; t (the truncation trick).</param>
    /// <param name="latentColumnName">The name of the column of latent vectors: <c>Latent</c> by default, whatever <see cref="LatentColumnName"/> (the code column of <see cref="GanTransformerBase.Transform"/>) is.</param>
    /// <param name="imageColumnName">The name of the column of generated images.</param>
    /// <returns>A view with the latent and image (<see cref="MLImage"/>) columns. The images belong to the caller.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative or <paramref name="truncation"/> is not positive.</exception>
    /// <exception cref="ArgumentException">A column name is null, blank or the same as the other.</exception>
    public IDataView Generate(int count, int? seed = null, double? truncation = null,
        string latentColumnName = DefaultColumnNames.Latent, string imageColumnName = DefaultColumnNames.Image) =>
        new GeneratedImagesDataView(_model.Gan, count, seed ?? Host.Rand.Next(), startIndex: 0, fixedClass: null, truncation, latentColumnName, imageColumnName);

    /// <summary>Images <paramref name="startIndex"/> onwards of <c>Generate(n, seed, truncation)</c>'s sequence, as <see cref="GanTransformer.Generate(int, int, long, double?, string, string)"/> gives them.</summary>
    /// <param name="count">How many images; 0 gives an empty view.</param>
    /// <param name="seed">The seed of the latent vectors, the same on every machine.</param>
    /// <param name="startIndex">The index of the first image, ≥ 0.</param>
    /// <param name="truncation">The latent truncation threshold; null for none.</param>
    /// <param name="latentColumnName">The name of the column of latent vectors.</param>
    /// <param name="imageColumnName">The name of the column of generated images.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> or <paramref name="startIndex"/> is negative, or <paramref name="truncation"/> is not positive.</exception>
    /// <exception cref="ArgumentException">A column name is null, blank or the same as the other.</exception>
    public IDataView Generate(int count, int seed, long startIndex, double? truncation = null,
        string latentColumnName = DefaultColumnNames.Latent, string imageColumnName = DefaultColumnNames.Image) =>
        new GeneratedImagesDataView(_model.Gan, count, seed, startIndex, fixedClass: null, truncation, latentColumnName, imageColumnName);

    /// <summary>
    /// Reconstructs images through the code: adds G(N(E(x))) as an <see cref="MLImage"/> column, computed lazily.
    /// </summary>
    /// <param name="images">Rows with the training image column.</param>
    /// <param name="outputColumnName">The name of the added column.</param>
    /// <returns>The input rows plus the reconstruction column. The images belong to the caller.</returns>
    public IDataView Reconstruct(IDataView images, string outputColumnName = ReconstructionColumnName)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentException.ThrowIfNullOrEmpty(outputColumnName);
        return new MappedDataView(images, new ReconstructionRowMapping(_model, images.Schema, outputColumnName));
    }

    /// <summary>
    /// Images along the straight line between two images' codes: G((1 − α)·z1 + α·z2) for α = 0, 1/(steps − 1), …, 1,
    /// with z1 = N(E(<paramref name="from"/>)) and z2 = N(E(<paramref name="to"/>)), as a list. The same images as
    /// <see cref="GenerateInterpolation"/>'s image column, in order.
    /// </summary>
    /// <param name="from">The first image, of the training size (ImageWidth × ImageHeight).</param>
    /// <param name="to">The last image, of the training size.</param>
    /// <param name="steps">How many images, endpoints included (at least 2).</param>
    /// <returns><paramref name="steps"/> new images; they belong to the caller.</returns>
    /// <exception cref="ArgumentException">An image is not of the training size.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="steps"/> is less than 2.</exception>
    public IReadOnlyList<MLImage> Interpolate(MLImage from, MLImage to, int steps)
    {
        IDataView path = GenerateInterpolation(from, to, steps);
        var images = new List<MLImage>(steps);
        try
        {
            DataViewSchema.Column column = path.Schema[DefaultColumnNames.Image];
            using DataViewRowCursor cursor = path.GetRowCursor(new[] { column });
            ValueGetter<MLImage> getImage = cursor.GetGetter<MLImage>(column);
            while (cursor.MoveNext())
            {
                MLImage image = null!;
                getImage(ref image);
                images.Add(image);
            }
        }
        catch
        {
            images.ForEach(image => image.Dispose());
            throw;
        }
        return images;
    }

    /// <summary>
    /// The interpolation between two images' codes as a data view, one row per step: α, the latent vector
    /// (1 − α)·z1 + α·z2 with z1 = N(E(<paramref name="from"/>)) and z2 = N(E(<paramref name="to"/>)), and its image
    /// G(latent), for α = 0, 1/(steps − 1), …, 1. The codes are computed here; the images as the view is read.
    /// </summary>
    /// <param name="from">The first image, of the training size (ImageWidth × ImageHeight).</param>
    /// <param name="to">The last image, of the training size.</param>
    /// <param name="steps">How many rows, endpoints included (at least 2).</param>
    /// <param name="alphaColumnName">The name of the column of α (<c>Single</c>, 0 in the first row and 1 in the last).</param>
    /// <param name="latentColumnName">The name of the column of latent vectors (<c>Vector&lt;Single, LatentDimension&gt;</c>).</param>
    /// <param name="imageColumnName">The name of the column of generated images (<see cref="MLImage"/>).</param>
    /// <returns>A view of <paramref name="steps"/> rows with the α, latent and image columns. The images belong to the caller.</returns>
    /// <exception cref="ArgumentException">An image is not of the training size, or a column name is null, blank or the same as another.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="steps"/> is less than 2.</exception>
    public IDataView GenerateInterpolation(MLImage from, MLImage to, int steps,
        string alphaColumnName = DefaultColumnNames.Alpha, string latentColumnName = DefaultColumnNames.Latent, string imageColumnName = DefaultColumnNames.Image)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        if (steps < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(steps), steps, "Interpolation needs at least 2 steps (the two endpoints).");
        }
        OutputColumnNames.Check((alphaColumnName, nameof(alphaColumnName)), (latentColumnName, nameof(latentColumnName)), (imageColumnName, nameof(imageColumnName)));
        ImageShape shape = _model.Gan.Shape;
        var pixels = new float[2 * shape.PixelCount];
        ReadImage(from, nameof(from), pixels.AsSpan(0, shape.PixelCount));
        ReadImage(to, nameof(to), pixels.AsSpan(shape.PixelCount));

        int latent = LatentDimension;
        var codes = new float[2 * latent];
        _model.Encode(pixels, 2, codes, new float[2]);
        var path = new InterpolationPathDataView(codes.AsSpan(0, latent), codes.AsSpan(latent), steps, alphaColumnName, latentColumnName);
        return new MappedDataView(path, new GeneratorRowMapping(_model.Gan, path.Schema, latentColumnName, imageColumnName));
    }

    private protected override void Save(ModelSaveContext ctx) =>
        MlNetBridge.SaveModel(ctx, PayloadKind, writer => OGanModelSerializer.Write(writer, _model));

    /// <summary>
    /// How well the encoder inverts the generator: the mean over <paramref name="count"/> fresh latents z ~ N(0, I) of
    /// ρ(z, E(G(z))), the Pearson correlation of their components. 1 means exact inversion up to shift and scale; an
    /// untrained pair gives about 0.
    /// </summary>
    /// <param name="count">How many latents (at least 1).</param>
    /// <param name="seed">The seed of the latents.</param>
    public double MeanCorrelation(int count = 1000, int seed = 0)
    {
        if (count < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "MeanCorrelation needs at least one latent vector.");
        }
        return _model.MeanCorrelation(count, seed);
    }

    /// <summary>The networks, for feature extractors that need N(E(x)) on tensors.</summary>
    internal OGanModel Model => _model;

    private void ReadImage(MLImage image, string name, Span<float> destination)
    {
        ImageShape shape = _model.Gan.Shape;
        if (image.Width != shape.Width || image.Height != shape.Height)
        {
            throw new ArgumentException(FormattableString.Invariant(
                $"Image '{name}' is {image.Width}x{image.Height}; this O-GAN was trained on {shape.Width}x{shape.Height} images. Resize it first."), name);
        }
        ImagePixels.ToChw(image, shape.Channels, destination);
    }

    private protected override IRowMapping CreateMapping(DataViewSchema inputSchema) =>
        new EncoderRowMapping(_model, inputSchema, LatentColumnName, ScoreColumnName);
}
