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
/// they occurred in training; <see cref="GanTransformerBase.Transform"/> adds the discriminator's <c>Score</c> to labelled images;
/// <see cref="GanTransformerBase.Generator"/> is the generator as a transformer (<c>Label</c> + <c>Latent</c> → <c>Image</c>).
/// Save it with <c>mlContext.Model.Save</c>; call <c>mlContext.Gan()</c> before <c>mlContext.Model.Load</c>.
/// </summary>
public sealed class ConditionalGanTransformer : GanTransformerBase
{
    internal const string PayloadKind = "ConditionalGanTransformer";

    private readonly LabelConditioning _conditioning;

    internal ConditionalGanTransformer(IHostEnvironment environment, GanModel model)
        : base(environment, nameof(ConditionalGanTransformer), model)
    {
        _conditioning = model.Conditioning ?? throw new ArgumentException("A conditional GAN transformer needs a conditional model.", nameof(model));
    }

    /// <summary>The label column the model was trained on: <see cref="GanTransformerBase.Transform"/> reads it and <c>Generate</c> writes it.</summary>
    public string LabelColumnName => _conditioning.ColumnName;

    /// <summary>The original label value of each class, in key order (key i + 1 is <c>LabelNames[i]</c>); the keys as text when the label column had no <c>KeyValues</c>.</summary>
    public IReadOnlyList<string> LabelNames => Enumerable.Range(0, _conditioning.Labels.Count).Select(_conditioning.Labels.NameOf).ToArray();

    /// <summary>The share of each class among the training rows, in key order: how often <see cref="Generate(int, int?, double?, string?, string, string)"/> draws it.</summary>
    public IReadOnlyList<double> LabelFrequencies => _conditioning.Labels.Frequencies;

    /// <summary>How the discriminator was conditioned on the label.</summary>
    public ConditioningMethod Conditioning => _conditioning.Method;

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
        Generated(count, seed ?? Host.Rand.Next(), startIndex: 0, fixedClass: null, truncation, labelColumnName, latentColumnName, imageColumnName);

    /// <summary>
    /// Images and labels <paramref name="startIndex"/> to <paramref name="startIndex"/> + <paramref name="count"/> − 1 of
    /// the sequence <c>Generate(n, seed, truncation)</c> would give for any large enough n, classes drawn from the training
    /// label distribution: machines that generate disjoint index ranges with the same seed together produce exactly the
    /// rows of one run (see docs/scale-out.md).
    /// </summary>
    /// <param name="count">How many images; 0 gives an empty view.</param>
    /// <param name="seed">The seed of the latent vectors and labels, the same on every machine.</param>
    /// <param name="startIndex">The index of the first image, ≥ 0.</param>
    /// <param name="truncation">The latent truncation threshold; null for none.</param>
    /// <param name="labelColumnName">The name of the label column; null (the default) for <see cref="LabelColumnName"/>, the training label column's.</param>
    /// <param name="latentColumnName">The name of the column of latent vectors.</param>
    /// <param name="imageColumnName">The name of the column of generated images.</param>
    /// <returns>A view with the label, latent and image columns, as for <see cref="Generate(int, int?, double?, string?, string, string)"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> or <paramref name="startIndex"/> is negative, or <paramref name="truncation"/> is not positive.</exception>
    /// <exception cref="ArgumentException">A column name is blank or the same as another.</exception>
    public IDataView Generate(int count, int seed, long startIndex, double? truncation = null,
        string? labelColumnName = null, string latentColumnName = DefaultColumnNames.Latent, string imageColumnName = DefaultColumnNames.Image) =>
        Generated(count, seed, startIndex, fixedClass: null, truncation, labelColumnName, latentColumnName, imageColumnName);

    /// <summary>
    /// Images <paramref name="startIndex"/> to <paramref name="startIndex"/> + <paramref name="count"/> − 1 of the sequence
    /// <c>Generate(n, label, seed, truncation)</c> would give for any large enough n, all of the class <paramref name="label"/>.
    /// </summary>
    /// <param name="count">How many images; 0 gives an empty view.</param>
    /// <param name="label">An original label value (a <c>KeyValues</c> entry; matched exactly, else ignoring case).</param>
    /// <param name="seed">The seed of the latent vectors, the same on every machine.</param>
    /// <param name="startIndex">The index of the first image, ≥ 0.</param>
    /// <param name="truncation">The latent truncation threshold; null for none.</param>
    /// <param name="labelColumnName">The name of the label column; null (the default) for <see cref="LabelColumnName"/>, the training label column's.</param>
    /// <param name="latentColumnName">The name of the column of latent vectors.</param>
    /// <param name="imageColumnName">The name of the column of generated images.</param>
    /// <returns>A view with the label, latent and image columns, as for <see cref="Generate(int, int?, double?, string?, string, string)"/>.</returns>
    /// <exception cref="ArgumentException">No class has the value <paramref name="label"/> (the message lists the known ones), or a column name is blank or the same as another.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> or <paramref name="startIndex"/> is negative, or <paramref name="truncation"/> is not positive.</exception>
    public IDataView Generate(int count, string label, int seed, long startIndex, double? truncation = null,
        string? labelColumnName = null, string latentColumnName = DefaultColumnNames.Latent, string imageColumnName = DefaultColumnNames.Image) =>
        Generated(count, seed, startIndex, ClassIndexOf(label), truncation, labelColumnName, latentColumnName, imageColumnName);

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
        Generated(count, seed ?? Host.Rand.Next(), startIndex: 0, ClassIndexOf(label), truncation, labelColumnName, latentColumnName, imageColumnName);

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
        Generated(count, seed ?? Host.Rand.Next(), startIndex: 0, _conditioning.Labels.IndexOfKey(labelKey), truncation, labelColumnName, latentColumnName, imageColumnName);

    private protected override void Save(ModelSaveContext ctx) =>
        MlNetBridge.SaveModel(ctx, PayloadKind, writer => GanModelSerializer.Write(writer, Networks, includeDiscriminator: true));

    private IDataView Generated(int count, int seed, long startIndex, int? fixedClass, double? truncation, string? labelColumnName,
        string latentColumnName, string imageColumnName) =>
        new GeneratedImagesDataView(Networks, count, seed, startIndex, fixedClass, truncation, latentColumnName, imageColumnName, labelColumnName);

    private int ClassIndexOf(string label) => _conditioning.Labels.IndexOf(label ?? throw new ArgumentNullException(nameof(label)));

    private protected override IRowMapping CreateMapping(DataViewSchema inputSchema) => new ScoreRowMapping(Networks, inputSchema, ScoreColumnName);
}
