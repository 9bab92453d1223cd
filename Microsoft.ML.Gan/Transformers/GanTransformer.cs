using System;
using System.Collections.Generic;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Persistence;
using Microsoft.ML.Gan.Transformers;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Gan;

/// <summary>
/// A trained GAN, produced by <see cref="GanTrainer"/>. <see cref="GanTransformerBase.Transform"/> adds the discriminator's <c>Score</c> to
/// images in the training column's format, so the transformer chains like any ML.NET transformer;
/// <see cref="Generate(int, int?, double?, string, string)"/> samples new images; <see cref="GanTransformerBase.Generator"/> is the generator as a transformer of its own.
/// Save it with <c>mlContext.Model.Save</c>; call <c>mlContext.Gan()</c> before <c>mlContext.Model.Load</c>.
/// </summary>
public sealed class GanTransformer : GanTransformerBase
{
    internal const string PayloadKind = "GanTransformer";

    internal GanTransformer(IHostEnvironment environment, GanModel model)
        : base(environment, nameof(GanTransformer), model)
    {
    }

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
        new GeneratedImagesDataView(Networks, count, seed ?? Host.Rand.Next(), startIndex: 0, fixedClass: null, truncation, latentColumnName, imageColumnName);

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
        new GeneratedImagesDataView(Networks, count, seed, startIndex, fixedClass: null, truncation, latentColumnName, imageColumnName);

    private protected override void Save(ModelSaveContext ctx) =>
        MlNetBridge.SaveModel(ctx, PayloadKind, writer => GanModelSerializer.Write(writer, Networks, includeDiscriminator: true));

    private protected override IRowMapping CreateMapping(DataViewSchema inputSchema) => new ScoreRowMapping(Networks, inputSchema, ScoreColumnName);
}
