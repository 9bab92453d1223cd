using System;
using System.Collections.Generic;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Persistence;
using Microsoft.ML.Gan.Transformers;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Gan;

/// <summary>
/// A trained GAN, produced by <see cref="GanTrainer"/>. <see cref="Transform"/> adds the discriminator's <c>Score</c> to
/// images in the training column's format, so the transformer chains like any ML.NET transformer;
/// <see cref="Generate(int, int?, double?, string, string)"/> samples new images; <see cref="Generator"/> is the generator as a transformer of its own.
/// Save it with <c>mlContext.Model.Save</c>; call <c>mlContext.Gan()</c> before <c>mlContext.Model.Load</c>.
/// </summary>
public sealed class GanTransformer : ITransformer, ICanSaveModel, IDisposable
{
    internal const string PayloadKind = "GanTransformer";

    private readonly IHost _host;
    private readonly GanModel _model;

    internal GanTransformer(IHostEnvironment environment, GanModel model)
    {
        _host = environment.Register(nameof(GanTransformer));
        _model = model;
        Generator = new GeneratorTransformer(model, ownsModel: false);
    }

    /// <summary>The generator alone, as a transformer from a <c>Latent</c> column to an <c>Image</c> column. It shares this transformer's networks.</summary>
    public GeneratorTransformer Generator { get; }

    /// <summary>The image column the model was trained on and <see cref="Transform"/> reads.</summary>
    public string ImageColumnName => _model.Input.ColumnName;

    /// <summary>The column <see cref="Transform"/> adds with the discriminator's score: <see cref="GanTrainer.Options.ScoreColumnName"/> (<c>Score</c> by default).</summary>
    public string ScoreColumnName => _model.ScoreColumnName;

    /// <summary>The length of the latent vectors the generator reads.</summary>
    public int LatentDimension => _model.LatentDimension;

    /// <summary>The width in pixels of training and generated images.</summary>
    public int ImageWidth => _model.Shape.Width;

    /// <summary>The height in pixels of training and generated images.</summary>
    public int ImageHeight => _model.Shape.Height;

    /// <summary>1 for grayscale images, 3 for colour.</summary>
    public int ImageChannels => _model.Shape.Channels;

    /// <summary>The networks the model uses.</summary>
    public GanArchitecture Architecture => _model.Spec.Architecture;

    /// <summary>The loss the model was trained with; <c>Score</c> is on that loss's scale (a logit for Minimax and NonSaturating).</summary>
    public GanLoss Loss => _model.Loss;

    /// <summary>loss_D, loss_G, D(x) and D(G(z)) every <see cref="GanTrainer.Options.LogEveryNSteps"/> generator updates.</summary>
    public IReadOnlyList<GanTrainingRecord> TrainingHistory => _model.History;

    /// <summary>
    /// The decay of the exponential moving average the generator's weights come from (<see cref="GanTrainer.Options.GeneratorEmaDecay"/>),
    /// or null when the generator holds the trained weights themselves.
    /// </summary>
    public double? GeneratorEmaDecay => _model.GeneratorEmaDecay;

    /// <summary>Always true: scoring maps each row on its own.</summary>
    public bool IsRowToRowMapper => true;

    /// <summary>
    /// Samples <paramref name="count"/> new images, produced lazily in batches as the result is read. Image i depends only
    /// on (<paramref name="seed"/>, i): the same seed gives the same images, whatever the batch size or device.
    /// </summary>
    /// <param name="count">How many images; 0 gives an empty view.</param>
    /// <param name="seed">The seed of the latent vectors; null draws one from the MLContext's random source.</param>
    /// <param name="truncation">
    /// Null (the default) samples the latent vectors from the standard normal the generator was trained on. A threshold
    /// t &gt; 0 redraws every latent value with |z| &gt; t (BigGAN's truncation trick): lower thresholds give more typical,
    /// cleaner images of fewer kinds (higher precision, lower recall; see docs/evaluation.md).
    /// </param>
    /// <param name="latentColumnName">The name of the column of latent vectors.</param>
    /// <param name="imageColumnName">The name of the column of generated images.</param>
    /// <returns>
    /// A view with the latent column (<c>Vector&lt;Single, LatentDimension&gt;</c>, <c>Latent</c> by default) and the image
    /// column (<see cref="MLImage"/>, <c>Image</c> by default). The images belong to the caller.
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative or <paramref name="truncation"/> is not positive.</exception>
    /// <exception cref="ArgumentException">A column name is null, blank or the same as the other.</exception>
    public IDataView Generate(int count, int? seed = null, double? truncation = null,
        string latentColumnName = DefaultColumnNames.Latent, string imageColumnName = DefaultColumnNames.Image) =>
        new GeneratedImagesDataView(_model, count, seed ?? _host.Rand.Next(), startIndex: 0, fixedClass: null, truncation, latentColumnName, imageColumnName);

    /// <summary>
    /// Images <paramref name="startIndex"/> to <paramref name="startIndex"/> + <paramref name="count"/> − 1 of the sequence
    /// <c>Generate(n, seed, truncation)</c> would give for any large enough n: machines that generate disjoint index ranges
    /// with the same seed together produce exactly the images of one run, in order (see docs/scale-out.md).
    /// </summary>
    /// <param name="count">How many images; 0 gives an empty view.</param>
    /// <param name="seed">The seed of the latent vectors, the same on every machine.</param>
    /// <param name="startIndex">The index of the first image, ≥ 0.</param>
    /// <param name="truncation">The latent truncation threshold, as for <see cref="Generate(int, int?, double?, string, string)"/>; null for none.</param>
    /// <param name="latentColumnName">The name of the column of latent vectors.</param>
    /// <param name="imageColumnName">The name of the column of generated images.</param>
    /// <returns>A view with the latent and image columns, as for <see cref="Generate(int, int?, double?, string, string)"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> or <paramref name="startIndex"/> is negative, or <paramref name="truncation"/> is not positive.</exception>
    /// <exception cref="ArgumentException">A column name is null, blank or the same as the other.</exception>
    public IDataView Generate(int count, int seed, long startIndex, double? truncation = null,
        string latentColumnName = DefaultColumnNames.Latent, string imageColumnName = DefaultColumnNames.Image) =>
        new GeneratedImagesDataView(_model, count, seed, startIndex, fixedClass: null, truncation, latentColumnName, imageColumnName);

    /// <summary>The input schema plus <c>Score</c>; throws if the input lacks the training image column or its format differs.</summary>
    /// <param name="inputSchema">A schema with the training image column (same type and size as in training).</param>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => CreateMapping(inputSchema).OutputSchema;

    /// <summary>Adds the discriminator's realness score (<c>Score</c>, Single) to every row, computed lazily.</summary>
    /// <param name="input">Rows with the training image column.</param>
    public IDataView Transform(IDataView input) => new MappedDataView(input, CreateMapping(input.Schema));

    /// <summary>The row-at-a-time mapper <c>PredictionEngine</c> uses.</summary>
    /// <param name="inputSchema">A schema with the training image column.</param>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => new RowToRowMapper(CreateMapping(inputSchema));

    void ICanSaveModel.Save(ModelSaveContext ctx) =>
        MlNetBridge.SaveModel(ctx, PayloadKind, writer => GanModelSerializer.Write(writer, _model, includeDiscriminator: true));

    /// <summary>Frees the networks' native memory; this transformer and its <see cref="Generator"/> cannot be used afterwards.</summary>
    public void Dispose() => _model.Dispose();

    private ScoreRowMapping CreateMapping(DataViewSchema inputSchema) => new(_model, inputSchema, ScoreColumnName);
}
