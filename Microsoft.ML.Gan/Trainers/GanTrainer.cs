using System;
using System.Collections.Generic;
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
/// Trains a generative adversarial network on an image column. Create it with <c>mlContext.Gan().Trainers.Gan(...)</c>.
/// </summary>
/// <remarks>
/// <format type="text/markdown"><![CDATA[
/// ### Estimator Characteristics
/// |  |  |
/// | -- | -- |
/// | Does this estimator need to look at the data to train its parameters? | Yes |
/// | Input column data type | <xref:Microsoft.ML.Data.MLImage> or known-size vector of <xref:System.Single> (`Vector<Single, C, H, W>`) |
/// | Output column data type | `Score`: <xref:System.Single>; `Generate` adds `Latent` (vector of <xref:System.Single>) and `Image` (<xref:Microsoft.ML.Data.MLImage>) |
/// | Required NuGet in addition to Microsoft.ML | Microsoft.ML.Gan, and a TorchSharp backend (TorchSharp-cpu or a CUDA package) |
/// | Exportable to ONNX | No |
///
/// Training alternates k = DiscriminatorSteps discriminator updates with one generator update, per batch, with Adam.
/// Options are checked, and the data is counted and read once into a tensor or checked for streaming
/// (<xref:Microsoft.ML.Gan.TrainingDataMode>), before any training starts.
/// ]]></format>
/// </remarks>
public sealed partial class GanTrainer : IEstimator<GanTransformer>
{
    private readonly MLContext _context;
    private readonly Options _options;

    internal GanTrainer(MLContext context, Options options)
    {
        _context = context ?? throw new ArgumentNullException(nameof(context));
        _options = options ?? throw new ArgumentNullException(nameof(options));
    }

    /// <summary>Trains on <paramref name="input"/> and returns the trained GAN.</summary>
    /// <param name="input">Rows with the image column named by <see cref="Options.ImageColumnName"/>.</param>
    /// <exception cref="ArgumentException">An option is invalid, or the image column is missing, of the wrong type, of unknown or unsupported size, or empty; or BatchSize, LatentDimension or the image size would need more memory than the machine has (checked before any data is read); or CheckpointDirectory holds checkpoints and ResumeFrom is not set, or ResumeFrom's checkpoint was trained on other settings or data.</exception>
    /// <exception cref="OperationCanceledException">The MLContext's execution was cancelled; with a CheckpointDirectory, the message names the checkpoint written of the last update.</exception>
    /// <exception cref="GanTrainingDivergedException">A loss or gradient became NaN or infinite (and no rollback was left).</exception>
    /// <exception cref="System.IO.IOException">A checkpoint could not be written; the previous one is intact.</exception>
    /// <exception cref="System.IO.InvalidDataException">ResumeFrom names an unreadable checkpoint or a file that is not one; or an image of the data cannot be loaded (the message names the row, its file and why).</exception>
    /// <exception cref="InvalidOperationException">The application references no TorchSharp native backend (TorchSharp-cpu or a CUDA package), or it cannot be loaded; or CheckpointDirectory is in use by another training run.</exception>
    public GanTransformer Fit(IDataView input) => new PlainGanFit(_context, _options).Run(input);

    /// <summary>The input schema plus the <c>Score</c> column; checks the image column exists and has a usable type.</summary>
    /// <param name="inputSchema">The shape of the training data.</param>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ImageColumnShape.Require(inputSchema, _options.ImageColumnName);
        SchemaShape.Column score = MlNetBridge.CreateColumn(_options.ScoreColumnName, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Single, isKey: false);
        return new SchemaShape(inputSchema.Where(column => column.Name != score.Name).Append(score));
    }

    private NetworkSpec CreateSpec(ImageShape shape) => CreateSpec(_options, shape);

    /// <summary>The networks <paramref name="options"/> ask for, for images of <paramref name="shape"/>; throws if they cannot be built.</summary>
    /// <param name="options">The trainer's options.</param>
    /// <param name="shape">The training images' shape.</param>
    /// <param name="discriminatorOutputs">The width of D's output: 1, or the latent size for O-GAN's encoder.</param>
    internal static NetworkSpec CreateSpec(Options options, ImageShape shape, int discriminatorOutputs = 1)
    {
        var spec = new NetworkSpec(options.Architecture, shape, options.LatentDimension, discriminatorOutputs,
            options.EffectiveSpectralNormalization, options.DiscriminatorBatchNorm);
        string? unsupported = GanNetworkFactory.DescribeUnsupported(spec);
        if (unsupported != null)
        {
            throw new ArgumentException($"Column '{options.ImageColumnName}': {unsupported}", nameof(Options.Architecture));
        }
        return spec;
    }

    private sealed class PlainGanFit : TrainerFit<GanTransformer>
    {
        private nn.Module<Tensor, Tensor>? _generator, _discriminator;

        public PlainGanFit(MLContext context, Options options)
            : base(context, options, nameof(GanTrainer), "GAN")
        {
        }

        protected override AdversarialGame CreateGame(NetworkSpec spec, TrainingBatchSource data, IChannel channel, torch.Generator initRandom,
            AdversarialLoss loss, IReadOnlyList<Regularizer> regularizers, DifferentiableAugmentation? augmentation)
        {
            _generator = GanNetworkFactory.CreateGenerator(spec, initRandom);
            _discriminator = GanNetworkFactory.CreateDiscriminator(spec, initRandom);
            return new UnconditionalGame(_generator, _discriminator, loss, regularizers, spec.LatentDimension, augmentation);
        }

        protected override GanTransformer CreateTransformer(TrainedNetworks trained) =>
            new(Context, new GanModel(trained.Spec, Options.Loss, trained.Input, _generator!, _discriminator, trained.Device, trained.History,
                Options.GeneratorEmaDecay)
            {
                ScoreColumnName = Options.ScoreColumnName,
            });
    }
}
