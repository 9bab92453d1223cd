using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Data;
using Microsoft.ML.Gan.Persistence;
using Microsoft.ML.Gan.Transformers;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Gan;

/// <summary>
/// A trained class-conditional GAN, produced by <see cref="ConditionalGanTrainer"/>. <see cref="Generate(int, string, int?, double?, string?, string, string)"/>
/// draws images of a class named by its original label value; <see cref="Generate(int, int?, double?, string?, string, string)"/> draws classes as often as
/// they occurred in training; <see cref="Transform"/> adds the discriminator's <c>Score</c> to labelled images;
/// <see cref="Generator"/> is the generator as a transformer (<c>Label</c> + <c>Latent</c> → <c>Image</c>).
/// Save it with <c>mlContext.Model.Save</c>; call <c>mlContext.Gan()</c> before <c>mlContext.Model.Load</c>.
/// </summary>
public sealed class ConditionalGanTransformer : ITransformer, ICanSaveModel, IDisposable
{
    internal const string PayloadKind = "ConditionalGanTransformer";

    private readonly IHost _host;
    private readonly GanModel _model;
    private readonly LabelConditioning _conditioning;

    internal ConditionalGanTransformer(IHostEnvironment environment, GanModel model)
    {
        _host = environment.Register(nameof(ConditionalGanTransformer));
        _model = model;
        _conditioning = model.Conditioning ?? throw new ArgumentException("A conditional GAN transformer needs a conditional model.", nameof(model));
        Generator = new GeneratorTransformer(model, ownsModel: false);
    }

    /// <summary>
    /// The generator alone, as a transformer from <see cref="LabelColumnName"/> (the training key type) and <c>Latent</c>
    /// columns to an <c>Image</c> column. It shares this transformer's networks.
    /// </summary>
    public GeneratorTransformer Generator { get; }

    /// <summary>The image column the model was trained on and <see cref="Transform"/> reads.</summary>
    public string ImageColumnName => _model.Input.ColumnName;

    /// <summary>The column <see cref="Transform"/> adds with the discriminator's score: <see cref="GanTrainer.Options.ScoreColumnName"/> (<c>Score</c> by default).</summary>
    public string ScoreColumnName => _model.ScoreColumnName;

    /// <summary>The label column the model was trained on: <see cref="Transform"/> reads it and <c>Generate</c> writes it.</summary>
    public string LabelColumnName => _conditioning.ColumnName;

    /// <summary>The original label value of each class, in key order (key i + 1 is <c>LabelNames[i]</c>); the keys as text when the label column had no <c>KeyValues</c>.</summary>
    public IReadOnlyList<string> LabelNames => Enumerable.Range(0, _conditioning.Labels.Count).Select(_conditioning.Labels.NameOf).ToArray();

    /// <summary>The share of each class among the training rows, in key order: how often <see cref="Generate(int, int?, double?, string?, string, string)"/> draws it.</summary>
    public IReadOnlyList<double> LabelFrequencies => _conditioning.Labels.Frequencies;

    /// <summary>How the discriminator was conditioned on the label.</summary>
    public ConditioningMethod Conditioning => _conditioning.Method;

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

    /// <summary>Always true: scoring maps each row on its own.</summary>
    public bool IsRowToRowMapper => true;

    /// <summary>
    /// Samples <paramref name="count"/> images with classes drawn from the training label distribution. Image i and its
    /// label depend only on (<paramref name="seed"/>, i).
    /// </summary>
    /// <param name="count">How many images; 0 gives an empty view.</param>
    /// <param name="seed">The seed of the latent vectors and labels; null draws one from the MLContext's random source.</param>
    /// <param name="truncation">Null for the standard normal; a threshold t &gt; 0 redraws latent values with |z| &gt; t (the truncation trick, see <see cref="GanTransformer.Generate(int, int?, double?, string, string)"/>).</param>
    /// <param name="labelColumnName">The name of the label column; null (the default) for <see cref="LabelColumnName"/>, the training label column's.</param>
    /// <param name="latentColumnName">The name of the column of latent vectors.</param>
    /// <param name="imageColumnName">The name of the column of generated images.</param>
    /// <returns>
    /// A view with the label column (the training key type, with its <c>KeyValues</c>), the latent column and the image
    /// column, named <see cref="LabelColumnName"/>, <c>Latent</c> and <c>Image</c> unless told otherwise. The images belong to the caller.
    /// </returns>
    /// <exception cref="ArgumentException">A column name is blank or the same as another.</exception>
    public IDataView Generate(int count, int? seed = null, double? truncation = null,
        string? labelColumnName = null, string latentColumnName = DefaultColumnNames.Latent, string imageColumnName = DefaultColumnNames.Image) =>
        Generate(count, seed, fixedClass: null, truncation, labelColumnName, latentColumnName, imageColumnName);

    /// <summary>Samples <paramref name="count"/> images of the class whose original label value is <paramref name="label"/>, such as "Sneaker".</summary>
    /// <param name="count">How many images; 0 gives an empty view.</param>
    /// <param name="label">An original label value (a <c>KeyValues</c> entry; matched exactly, else ignoring case).</param>
    /// <param name="seed">The seed of the latent vectors; image i depends only on (seed, i) and the label.</param>
    /// <param name="truncation">The latent truncation threshold; null for none.</param>
    /// <param name="labelColumnName">The name of the label column; null (the default) for <see cref="LabelColumnName"/>, the training label column's.</param>
    /// <param name="latentColumnName">The name of the column of latent vectors.</param>
    /// <param name="imageColumnName">The name of the column of generated images.</param>
    /// <returns>A view with the label, latent and image columns, as for <see cref="Generate(int, int?, double?, string?, string, string)"/>.</returns>
    /// <exception cref="ArgumentException">No class has the value <paramref name="label"/> (the message lists the known ones), or a column name is blank or the same as another.</exception>
    public IDataView Generate(int count, string label, int? seed = null, double? truncation = null,
        string? labelColumnName = null, string latentColumnName = DefaultColumnNames.Latent, string imageColumnName = DefaultColumnNames.Image) =>
        Generate(count, seed, _conditioning.Labels.IndexOf(label ?? throw new ArgumentNullException(nameof(label))), truncation,
            labelColumnName, latentColumnName, imageColumnName);

    /// <summary>Samples <paramref name="count"/> images of the class with key <paramref name="labelKey"/> (1 … number of classes).</summary>
    /// <param name="count">How many images; 0 gives an empty view.</param>
    /// <param name="labelKey">The key of the class, as the label column holds it (key 0 means missing and is refused).</param>
    /// <param name="seed">The seed of the latent vectors; image i depends only on (seed, i) and the label.</param>
    /// <param name="truncation">The latent truncation threshold; null for none.</param>
    /// <param name="labelColumnName">The name of the label column; null (the default) for <see cref="LabelColumnName"/>, the training label column's.</param>
    /// <param name="latentColumnName">The name of the column of latent vectors.</param>
    /// <param name="imageColumnName">The name of the column of generated images.</param>
    /// <returns>A view with the label, latent and image columns, as for <see cref="Generate(int, int?, double?, string?, string, string)"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The key is 0 or larger than the number of classes.</exception>
    /// <exception cref="ArgumentException">A column name is blank or the same as another.</exception>
    public IDataView Generate(int count, uint labelKey, int? seed = null, double? truncation = null,
        string? labelColumnName = null, string latentColumnName = DefaultColumnNames.Latent, string imageColumnName = DefaultColumnNames.Image) =>
        Generate(count, seed, _conditioning.Labels.IndexOfKey(labelKey), truncation, labelColumnName, latentColumnName, imageColumnName);

    /// <summary>The input schema plus <c>Score</c>; throws if the input lacks the training image or label column or their types differ.</summary>
    /// <param name="inputSchema">A schema with the training image column and label column (same types as in training).</param>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => CreateMapping(inputSchema).OutputSchema;

    /// <summary>Adds the discriminator's score (<c>Score</c>, Single) for each image as an image of its row's label, computed lazily.</summary>
    /// <param name="input">Rows with the training image and label columns.</param>
    public IDataView Transform(IDataView input) => new MappedDataView(input, CreateMapping(input.Schema));

    /// <summary>The row-at-a-time mapper <c>PredictionEngine</c> uses.</summary>
    /// <param name="inputSchema">A schema with the training image and label columns.</param>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => new RowToRowMapper(CreateMapping(inputSchema));

    void ICanSaveModel.Save(ModelSaveContext ctx) =>
        MlNetBridge.SaveModel(ctx, PayloadKind, writer => GanModelSerializer.Write(writer, _model, includeDiscriminator: true));

    /// <summary>Frees the networks' native memory; this transformer and its <see cref="Generator"/> cannot be used afterwards.</summary>
    public void Dispose() => _model.Dispose();

    private IDataView Generate(int count, int? seed, int? fixedClass, double? truncation, string? labelColumnName, string latentColumnName, string imageColumnName) =>
        new GeneratedImagesDataView(_model, count, seed ?? _host.Rand.Next(), startIndex: 0, fixedClass, truncation, latentColumnName, imageColumnName, labelColumnName);

    private ScoreRowMapping CreateMapping(DataViewSchema inputSchema) => new(_model, inputSchema, ScoreColumnName);
}
