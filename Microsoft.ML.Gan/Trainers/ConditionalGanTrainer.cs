using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Data;
using Microsoft.ML.Gan.Networks;
using Microsoft.ML.Gan.Persistence;
using Microsoft.ML.Gan.Training;
using Microsoft.ML.Gan.Transformers;
using Microsoft.ML.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan;

/// <summary>
/// Trains a class-conditional GAN on an image column and a label column: the generator draws an image of the class it
/// is asked for. Create it with <c>mlContext.Gan().Trainers.ConditionalGan(...)</c>.
/// </summary>
/// <remarks>
/// <format type="text/markdown"><![CDATA[
/// ### Estimator Characteristics
/// |  |  |
/// | -- | -- |
/// | Does this estimator need to look at the data to train its parameters? | Yes |
/// | Input column data type | Image: <xref:Microsoft.ML.Data.MLImage> or known-size vector of <xref:System.Single>; Label: key type with a known count (MapValueToKey, LoadFromIdxFile) |
/// | Output column data type | `Score`: <xref:System.Single>; `Generate` adds `Label` (the key type), `Latent` and `Image` |
/// | Required NuGet in addition to Microsoft.ML | Microsoft.ML.Gan, and a TorchSharp backend (TorchSharp-cpu or a CUDA package) |
/// | Exportable to ONNX | No |
///
/// The generator reads z concatenated with the one-hot class; the discriminator is conditioned by projection, an
/// auxiliary classifier (ACGAN) or both (<xref:Microsoft.ML.Gan.ConditioningMethod>). Every loss and regulariser of
/// <xref:Microsoft.ML.Gan.GanTrainer> applies. See docs/conditional.md.
/// ]]></format>
/// </remarks>
public sealed partial class ConditionalGanTrainer : IEstimator<ConditionalGanTransformer>
{
    private readonly MLContext _context;
    private readonly Options _options;

    internal ConditionalGanTrainer(MLContext context, Options options)
    {
        _context = context ?? throw new ArgumentNullException(nameof(context));
        _options = options ?? throw new ArgumentNullException(nameof(options));
    }

    /// <summary>Trains on <paramref name="input"/> and returns the trained conditional GAN.</summary>
    /// <param name="input">Rows with the image column and the label column the options name.</param>
    /// <exception cref="ArgumentException">An option is invalid; the image column is missing or unusable; the label column is missing, not a key type, or has fewer than 2 values; or BatchSize, LatentDimension or the image size would need more memory than the machine has (checked before any data is read); or CheckpointDirectory holds checkpoints and ResumeFrom is not set, or ResumeFrom's checkpoint was trained on other settings or data.</exception>
    /// <exception cref="InvalidOperationException">A label is missing, the data holds fewer than 2 classes, no TorchSharp backend can be loaded, or CheckpointDirectory is in use by another training run.</exception>
    /// <exception cref="System.IO.InvalidDataException">An image of the data cannot be loaded (the message names the row, its file and why).</exception>
    /// <exception cref="OperationCanceledException">The MLContext's execution was cancelled; with a CheckpointDirectory, the message names the checkpoint written of the last update.</exception>
    /// <exception cref="System.IO.IOException">A checkpoint could not be written; the previous one is intact.</exception>
    /// <exception cref="GanTrainingDivergedException">A loss became NaN or infinite.</exception>
    public ConditionalGanTransformer Fit(IDataView input) => new ConditionalGanFit(_context, _options).Run(input);

    /// <summary>The input schema plus the <c>Score</c> column; checks the image and label columns exist and have usable types.</summary>
    /// <param name="inputSchema">The shape of the training data.</param>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        SchemaShape output = new GanTrainer(_context, _options).GetOutputSchema(inputSchema);
        SchemaShape.Column label = inputSchema.FirstOrDefault(column => column.Name == _options.LabelColumnName);
        if (label.Name == null)
        {
            throw new ArgumentOutOfRangeException(nameof(inputSchema),
                $"The input has no label column '{_options.LabelColumnName}'. Columns present: {string.Join(", ", inputSchema.Select(column => column.Name))}.");
        }
        if (!label.IsKey || label.Kind != SchemaShape.Column.VectorKind.Scalar)
        {
            throw new ArgumentOutOfRangeException(nameof(inputSchema),
                $"Column '{_options.LabelColumnName}' must be a key type (use MapValueToKey); it holds {label.Kind} of {label.ItemType}{(label.IsKey ? " keys" : string.Empty)}.");
        }
        return output;
    }

    private static ClassLabels CheckLabels(LabelColumnReader reader, IReadOnlyList<long> counts, IChannel channel)
    {
        int count = (int)reader.KeyType.Count;
        long total = counts.Sum();
        int present = counts.Count(c => c > 0);
        if (present < 2)
        {
            throw new InvalidOperationException(
                $"Column '{reader.Column.Name}' holds a single class in the training data; a conditional GAN needs images of at least 2 classes.");
        }
        var labels = new ClassLabels(reader.KeyType, reader.Names, counts.Select(c => (double)c / total).ToArray());
        for (int i = 0; i < count; i++)
        {
            if (counts[i] == 0)
            {
                channel.Warning(MessageSensitivity.None, string.Format(CultureInfo.InvariantCulture,
                    "Class '{0}' (key {1}) of column '{2}' has no training images; images generated for it will not look like any class.",
                    labels.NameOf(i), i + 1, reader.Column.Name));
            }
        }
        return labels;
    }

    private sealed class ConditionalGanFit : TrainerFit<ConditionalGanTransformer>
    {
        private readonly Options _options;
        private LabelColumnReader? _labelReader;
        private ClassLabels? _labels;
        private ConditionalGenerator? _generator;
        private ConditionalDiscriminator? _discriminator;

        public ConditionalGanFit(MLContext context, Options options)
            : base(context, options, nameof(ConditionalGanTrainer), "conditional GAN")
        {
            _options = options;
        }

        protected override LabelColumnReader CreateLabelReader(DataViewSchema schema) =>
            _labelReader = LabelColumnReader.Create(schema, _options.LabelColumnName);

        protected override AdversarialGame CreateGame(NetworkSpec spec, TrainingBatchSource data, IChannel channel, torch.Generator initRandom,
            AdversarialLoss loss, IReadOnlyList<Regularizer> regularizers, DifferentiableAugmentation? augmentation)
        {
            _labels = CheckLabels(_labelReader!, data.ClassCounts!, channel);
            _generator = GanNetworkFactory.CreateConditionalGenerator(spec, _labels.Count, initRandom);
            _discriminator = GanNetworkFactory.CreateConditionalDiscriminator(spec, _labels.Count, _options.Conditioning, initRandom);
            return new ConditionalGame(_generator, _discriminator, loss, regularizers, spec.LatentDimension, augmentation);
        }

        protected override ConditionalGanTransformer CreateTransformer(TrainedNetworks trained)
        {
            var conditioning = new LabelConditioning(_options.LabelColumnName, _labels!, _options.Conditioning);
            return new ConditionalGanTransformer(Context, new GanModel(trained.Spec, _options.Loss, trained.Input, _generator!, _discriminator,
                trained.Device, trained.History, conditioning, _options.GeneratorEmaDecay)
            {
                ScoreColumnName = _options.ScoreColumnName,
            });
        }
    }
}
