using System;
using System.IO;
using System.Runtime.ExceptionServices;
using Microsoft.ML.Gan.Persistence;
using Microsoft.ML.Gan.Torch;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Gan;

/// <summary>
/// The entry point of Microsoft.ML.Gan: <c>mlContext.Gan()</c>. Getting it also registers the library's model
/// loaders with that MLContext, so <c>mlContext.Model.Load</c> can read saved GAN models afterwards.
/// </summary>
public sealed class GanCatalog
{
    static GanCatalog()
    {
        MlNetBridge.RegisterPayloadReader(GanTransformer.PayloadKind,
            (environment, reader) => new GanTransformer(environment, GanModelSerializer.Read(reader, LoadDevice(environment))));
        MlNetBridge.RegisterPayloadReader(ConditionalGanTransformer.PayloadKind,
            (environment, reader) => new ConditionalGanTransformer(environment, GanModelSerializer.Read(reader, LoadDevice(environment))));
        MlNetBridge.RegisterPayloadReader(GeneratorTransformer.PayloadKind,
            (environment, reader) => new GeneratorTransformer(GanModelSerializer.Read(reader, LoadDevice(environment)), ownsModel: true));
        MlNetBridge.RegisterPayloadReader(OGanTransformer.PayloadKind,
            (environment, reader) => new OGanTransformer(environment, OGanModelSerializer.Read(reader, LoadDevice(environment))));
        MlNetBridge.RegisterPayloadReader(OGanEncoderTransformer.PayloadKind,
            (environment, reader) => new OGanEncoderTransformer(OGanModelSerializer.Read(reader, LoadDevice(environment)), ownsModel: true));
        MlNetBridge.RegisterPayloadReader(ImageClassifierTransformer.PayloadKind,
            (environment, reader) => ImageClassifierSerializer.Read(reader, LoadDevice(environment)));
        MlNetBridge.RegisterPayloadReader(DiscriminatorFeaturesTransformer.PayloadKind,
            (environment, reader) => DiscriminatorFeaturesSerializer.Read(reader, LoadDevice(environment)));
    }

    internal GanCatalog(MLContext context)
    {
        Context = context;
        MlNetBridge.RegisterLoaders(context);
        Trainers = new GanTrainerCatalog(context);
        Evaluation = new GanEvaluationCatalog(context);
        Transforms = new GanTransformsCatalog();
    }

    internal MLContext Context { get; }

    /// <summary>The GAN trainers: <see cref="GanTrainerCatalog.Gan(GanTrainer.Options)"/>, <see cref="GanTrainerCatalog.OGan(OGanTrainer.Options)"/>, <see cref="GanTrainerCatalog.ConditionalGan(ConditionalGanTrainer.Options)"/> and their simple overloads.</summary>
    public GanTrainerCatalog Trainers { get; }

    /// <summary>Transforms made from trained GANs: <see cref="GanTransformsCatalog.DiscriminatorFeatures(GanTransformerBase, string, string?, int, bool)"/>.</summary>
    public GanTransformsCatalog Transforms { get; }

    /// <summary>Feature extractors for <see cref="Evaluate"/>: <see cref="GanEvaluationCatalog.TrainClassifier(IDataView, ImageClassifierOptions)"/>.</summary>
    public GanEvaluationCatalog Evaluation { get; }

    /// <summary>
    /// Measures how close <paramref name="generated"/> images are to <paramref name="real"/> ones in the feature space of
    /// <paramref name="extractor"/>: Fréchet and kernel distances, k-NN precision and recall, and with a classifying
    /// extractor Inception Score, mode coverage and class-frequency KL; with <see cref="GanEvaluationOptions.Training"/>
    /// also the memorisation ratio. Computed in double precision. See docs/evaluation.md.
    /// </summary>
    /// <param name="generated">Generated images, e.g. <see cref="GanTransformer.Generate(int, int?, double?, string, string)"/>'s output (an <c>Image</c> column of <c>MLImage</c>).</param>
    /// <param name="real">Real held-out images (e.g. the test set), in the same kind of column.</param>
    /// <param name="extractor">The feature space: a trained <see cref="ImageClassifierTransformer"/> or <see cref="FeatureExtractor.FromTorchScript"/>.</param>
    /// <param name="options">Column names, the training images and metric settings; null for the defaults.</param>
    /// <exception cref="ArgumentException">A column is missing or not an image column, images do not fit the extractor, or an option is invalid.</exception>
    /// <exception cref="InvalidOperationException">A set has too few images, or pixel values are out of range.</exception>
    public GanMetrics Evaluate(IDataView generated, IDataView real, FeatureExtractor extractor, GanEvaluationOptions? options = null) =>
        Microsoft.ML.Gan.Evaluation.GanEvaluator.Evaluate(Context, generated, real, extractor, options ?? new GanEvaluationOptions());

    /// <summary>
    /// Loads a model saved with <c>mlContext.Model.Save</c>, as <c>mlContext.Model.Load</c> does, with this library's
    /// loaders registered (no separate <c>mlContext.Gan()</c> call needed). When the library refuses the file (damaged,
    /// impossible sizes, non-finite weights, saved by a newer version) its own <see cref="InvalidDataException"/> is
    /// thrown as it is, not two levels down inside ML.NET's "Error during class instantiation".
    /// </summary>
    /// <param name="path">The model zip.</param>
    /// <param name="inputSchema">The schema the model was saved with.</param>
    /// <returns>The saved transformer or chain; take the GAN out of a chain with <see cref="GanModelExtensions.GetGanModel{TModel}(ITransformer)"/>.</returns>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The file holds a Microsoft.ML.Gan transformer that cannot be loaded; the message says why.</exception>
    public ITransformer LoadModel(string path, out DataViewSchema inputSchema)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        DataViewSchema? schema = null;
        ITransformer model = Unwrapped(() => Context.Model.Load(path, out schema));
        inputSchema = schema!;
        return model;
    }

    /// <inheritdoc cref="LoadModel(string, out DataViewSchema)"/>
    /// <param name="stream">A stream holding the model zip; it is read from its current position.</param>
    /// <param name="inputSchema">The schema the model was saved with.</param>
    public ITransformer LoadModel(Stream stream, out DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(stream);
        DataViewSchema? schema = null;
        ITransformer model = Unwrapped(() => Context.Model.Load(stream, out schema));
        inputSchema = schema!;
        return model;
    }

    /// <summary>
    /// Loads the model in <paramref name="path"/> as <see cref="LoadModel(string, out DataViewSchema)"/> does and returns its
    /// <typeparamref name="TModel"/> (<see cref="GanTransformer"/>, <see cref="ConditionalGanTransformer"/>,
    /// <see cref="OGanTransformer"/>, ...), whether it was saved alone or inside a chain. The other parts of a chain are
    /// dropped (the disposable ones disposed); to keep the chain, load it untyped and call
    /// <see cref="GanModelExtensions.GetGanModel{TModel}(ITransformer)"/>. The caller disposes the result.
    /// </summary>
    /// <param name="path">The model zip.</param>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The file holds a Microsoft.ML.Gan transformer that cannot be loaded.</exception>
    /// <exception cref="ArgumentException">The file holds no <typeparamref name="TModel"/>; the message names the file and what it holds.</exception>
    public TModel LoadModel<TModel>(string path) where TModel : class, ITransformer
    {
        ITransformer loaded = LoadModel(path, out _);
        TModel? model = GanModelExtensions.Find<TModel>(loaded);
        DisposeAllBut(loaded, model);
        return model ?? throw new ArgumentException(
            $"'{path}' holds no {typeof(TModel).Name}: it holds {GanModelExtensions.Describe(loaded)}.", nameof(path));
    }

    private static ITransformer Unwrapped(Func<ITransformer> load)
    {
        try
        {
            return load();
        }
        catch (Exception e) when (MlNetBridge.ExplainLoadFailure(e) is InvalidDataException refused && !ReferenceEquals(refused, e))
        {
            ExceptionDispatchInfo.Capture(refused).Throw();
            throw;
        }
    }

    private static void DisposeAllBut(ITransformer model, ITransformer? kept)
    {
        if (ReferenceEquals(model, kept))
            return;
        if (model is System.Collections.Generic.IEnumerable<ITransformer> chain)
        {
            foreach (ITransformer part in chain)
                DisposeAllBut(part, kept);
        }
        else
        {
            (model as IDisposable)?.Dispose();
        }
    }

    /// <summary>
    /// Cancels the MLContext's running work, as ML.NET's own (internal) <c>MLContext.CancelExecution</c> does: GAN training
    /// stops before its next step with an <see cref="OperationCanceledException"/>, and so do ML.NET's trainers. The
    /// context stays cancelled; create a new MLContext to train again.
    /// </summary>
    public void CancelExecution() => MlNetBridge.CancelExecution(Context);

    // Loaded models run where ML.NET's GPU settings say when the loading context is an MLContext, else on the CPU.
    // Called before a model's networks are built, so a missing native backend is reported by name. The native heap
    // tuning changes the whole host process, so an app that only loads and generates is told about it too.
    private static TorchSharp.torch.Device LoadDevice(IHostEnvironment environment)
    {
        Torch.TorchBackend.EnsureAvailable();
        using (IChannel channel = environment.Register("GanModelLoader").Start("Loading a GAN model"))
        {
            channel.Info(MessageSensitivity.None, Torch.NativeHeapTuning.Ensure());
        }
        return environment is MLContext context
            ? Torch.TorchDevice.Select(context.GpuDeviceId, context.FallbackToCpu)
            : TorchSharp.torch.CPU;
    }
}
