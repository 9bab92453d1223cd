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
/// Trains an O-GAN (Su 2019, arXiv 1903.01931): a GAN whose discriminator is also an encoder. Create it with
/// <c>mlContext.Gan().Trainers.OGan(...)</c>.
/// </summary>
/// <remarks>
/// <format type="text/markdown"><![CDATA[
/// ### Estimator Characteristics
/// |  |  |
/// | -- | -- |
/// | Does this estimator need to look at the data to train its parameters? | Yes |
/// | Input column data type | <xref:Microsoft.ML.Data.MLImage> or known-size vector of <xref:System.Single> (`Vector<Single, C, H, W>`) |
/// | Output column data type | `Latent`: known-size vector of <xref:System.Single> (`Vector<Single, LatentDimension>`); `Score`: <xref:System.Single> |
/// | Required NuGet in addition to Microsoft.ML | Microsoft.ML.Gan, and a TorchSharp backend (TorchSharp-cpu or a CUDA package) |
/// | Exportable to ONNX | No |
///
/// The discriminator is D(x) = avg(E(x)) (or T(E(x)) with a small head) for an encoder E with LatentDimension outputs;
/// both players also maximise λ·ρ(z, E(G(z))), the Pearson correlation between a latent vector and the encoding of its
/// image. Afterwards N(E(x)), E's output standardised over its components, is a code in the generator's input space.
/// ]]></format>
/// </remarks>
public sealed partial class OGanTrainer : IEstimator<OGanTransformer>
{
    // Fresh latents for the ρ(z, E(G(z))) logged after training: enough for two decimals.
    private const int CorrelationSamples = 1000;

    private readonly MLContext _context;
    private readonly Options _options;

    internal OGanTrainer(MLContext context, Options options)
    {
        _context = context ?? throw new ArgumentNullException(nameof(context));
        _options = options ?? throw new ArgumentNullException(nameof(options));
    }

    /// <summary>Trains on <paramref name="input"/> and returns the trained O-GAN.</summary>
    /// <param name="input">Rows with the image column named by <see cref="GanTrainer.Options.ImageColumnName"/>.</param>
    /// <exception cref="ArgumentException">An option is invalid, or the image column is missing, of the wrong type, of unknown or unsupported size, or empty; or BatchSize, LatentDimension or the image size would need more memory than the machine has (checked before any data is read); or CheckpointDirectory holds checkpoints and ResumeFrom is not set, or ResumeFrom's checkpoint was trained on other settings or data.</exception>
    /// <exception cref="System.IO.InvalidDataException">An image of the data cannot be loaded (the message names the row, its file and why).</exception>
    /// <exception cref="OperationCanceledException">The MLContext's execution was cancelled; with a CheckpointDirectory, the message names the checkpoint written of the last update.</exception>
    /// <exception cref="System.IO.IOException">A checkpoint could not be written; the previous one is intact.</exception>
    /// <exception cref="GanTrainingDivergedException">A loss became NaN or infinite.</exception>
    /// <exception cref="InvalidOperationException">The application references no TorchSharp native backend, or it cannot be loaded; or CheckpointDirectory is in use by another training run.</exception>
    public OGanTransformer Fit(IDataView input) => new OGanFit(_context, _options).Run(input);

    /// <summary>The input schema plus <c>Latent</c> and <c>Score</c>; checks the image column exists and has a usable type.</summary>
    /// <param name="inputSchema">The shape of the training data.</param>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ImageColumnShape.Require(inputSchema, _options.ImageColumnName);
        SchemaShape.Column latent = MlNetBridge.CreateColumn(_options.LatentColumnName, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, isKey: false);
        SchemaShape.Column score = MlNetBridge.CreateColumn(_options.ScoreColumnName, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Single, isKey: false);
        return new SchemaShape(inputSchema.Where(column => column.Name != latent.Name && column.Name != score.Name).Append(latent).Append(score));
    }

    private sealed class OGanFit : TrainerFit<OGanTransformer>
    {
        private readonly Options _options;
        private nn.Module<Tensor, Tensor>? _generator;
        private OGanCritic? _critic;

        public OGanFit(MLContext context, Options options)
            : base(context, options, nameof(OGanTrainer), "O-GAN")
        {
            _options = options;
        }

        // The critic's encoder has one output per latent component.
        protected override NetworkSpec CreateSpec(ImageShape shape) =>
            GanTrainer.CreateSpec(_options, shape, discriminatorOutputs: _options.LatentDimension);

        protected override AdversarialGame CreateGame(NetworkSpec spec, TrainingBatchSource data, IChannel channel, torch.Generator initRandom,
            AdversarialLoss loss, IReadOnlyList<Regularizer> regularizers, DifferentiableAugmentation? augmentation)
        {
            _generator = GanNetworkFactory.CreateGenerator(spec, initRandom);
            _critic = new OGanCritic(spec, _options.UseScoreHead, initRandom);
            return new OGanGame(_generator, _critic, loss, regularizers, spec.LatentDimension, augmentation);
        }

        protected override OGanTransformer CreateTransformer(TrainedNetworks trained)
        {
            var model = new OGanModel(new GanModel(trained.Spec, _options.Loss, trained.Input, _generator!, _critic, trained.Device, trained.History,
                _options.GeneratorEmaDecay)
            {
                ScoreColumnName = _options.ScoreColumnName,
                LatentColumnName = _options.LatentColumnName,
            });
            trained.Channel.Info(MessageSensitivity.None, string.Format(CultureInfo.InvariantCulture,
                "mean rho(z, E(G(z))) on {0} fresh latents: {1:F3}", CorrelationSamples, model.MeanCorrelation(CorrelationSamples, trained.Seed)));
            return new OGanTransformer(Context, model);
        }
    }
}
