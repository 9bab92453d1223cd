using System;
using System.Collections.Generic;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Transformers;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Gan;

/// <summary>
/// What every trained GAN transformer has — <see cref="GanTransformer"/>, <see cref="ConditionalGanTransformer"/> and
/// <see cref="OGanTransformer"/>: the shape and training of its networks, its generator as a transformer, and the ML.NET
/// transformer members that add its output columns to rows. Only this library derives from it.
/// </summary>
public abstract class GanTransformerBase : ITransformer, IDisposable
{
    private protected GanTransformerBase(IHostEnvironment environment, string name, GanModel networks)
    {
        Host = environment.Register(name);
        Networks = networks;
        Generator = new GeneratorTransformer(networks, ownsModel: false);
    }

    /// <summary>The generator alone, as a transformer from a <c>Latent</c> column to an <c>Image</c> column. It shares this transformer's networks.</summary>
    public GeneratorTransformer Generator { get; }

    /// <summary>The image column the model was trained on and <see cref="Transform"/> reads.</summary>
    public string ImageColumnName => Networks.Input.ColumnName;

    /// <summary>The column <see cref="Transform"/> adds with the discriminator's score: <see cref="GanTrainer.Options.ScoreColumnName"/> (<c>Score</c> by default).</summary>
    public string ScoreColumnName => Networks.ScoreColumnName;

    /// <summary>The length of the latent vectors the generator reads.</summary>
    public int LatentDimension => Networks.LatentDimension;

    /// <summary>The width in pixels of training and generated images.</summary>
    public int ImageWidth => Networks.Shape.Width;

    /// <summary>The height in pixels of training and generated images.</summary>
    public int ImageHeight => Networks.Shape.Height;

    /// <summary>1 for grayscale images, 3 for colour.</summary>
    public int ImageChannels => Networks.Shape.Channels;

    /// <summary>The networks the model uses.</summary>
    public GanArchitecture Architecture => Networks.Spec.Architecture;

    /// <summary>The loss the model was trained with; <c>Score</c> is on that loss's scale (a logit for Minimax and NonSaturating).</summary>
    public GanLoss Loss => Networks.Loss;

    /// <summary>loss_D, loss_G, D(x) and D(G(z)) every <see cref="GanTrainer.Options.LogEveryNSteps"/> generator updates.</summary>
    public IReadOnlyList<GanTrainingRecord> TrainingHistory => Networks.History;

    /// <summary>
    /// The decay of the exponential moving average the generator's weights come from (<see cref="GanTrainer.Options.GeneratorEmaDecay"/>),
    /// or null when the generator holds the trained weights themselves.
    /// </summary>
    public double? GeneratorEmaDecay => Networks.GeneratorEmaDecay;

    /// <summary>Always true: scoring maps each row on its own.</summary>
    public bool IsRowToRowMapper => true;

    /// <summary>The input schema plus the columns <see cref="Transform"/> adds; throws if the input lacks the training image column or its format differs.</summary>
    /// <param name="inputSchema">A schema with the training image column (same type and size as in training).</param>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => CreateMapping(inputSchema).OutputSchema;

    /// <summary>Adds this GAN's output columns (see the transformer's own summary) to every row, computed lazily.</summary>
    /// <param name="input">Rows with the training image column.</param>
    public IDataView Transform(IDataView input) => new MappedDataView(input, CreateMapping(input.Schema));

    /// <summary>The row-at-a-time mapper <c>PredictionEngine</c> uses.</summary>
    /// <param name="inputSchema">A schema with the training image column.</param>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => new RowToRowMapper(CreateMapping(inputSchema));

    void ICanSaveModel.Save(ModelSaveContext ctx) => Save(ctx);

    /// <summary>Frees the networks' native memory; this transformer and the transformers it hands out cannot be used afterwards.</summary>
    public void Dispose() => Networks.Dispose();

    /// <summary>The ML.NET host: the log source and the random source of unseeded calls.</summary>
    private protected IHost Host { get; }

    /// <summary>The trained networks and how they read and write images.</summary>
    internal GanModel Networks { get; }

    /// <summary>The mapping <see cref="Transform"/> applies to rows of <paramref name="inputSchema"/>.</summary>
    private protected abstract IRowMapping CreateMapping(DataViewSchema inputSchema);

    /// <summary>Writes the model into ML.NET's model zip.</summary>
    private protected abstract void Save(ModelSaveContext ctx);
}
