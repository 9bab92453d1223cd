using System;
using System.Collections.Generic;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Data;
using Microsoft.ML.Gan.Networks;
using Microsoft.ML.Gan.Persistence;
using Microsoft.ML.Gan.Transformers;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan;

/// <summary>
/// A small CNN image classifier trained by <c>mlContext.Gan().Evaluation.TrainClassifier</c>. As a transformer it adds
/// <c>PredictedLabel</c> (a key, like ML.NET's multiclass trainers) and <c>Score</c> (class probabilities); as a
/// <see cref="FeatureExtractor"/> it gives its penultimate layer as features and its softmax as class probabilities,
/// so <see cref="GanCatalog.Evaluate"/> can score generators with it. It reads images of exactly the size it was trained
/// on (<see cref="FeatureExtractor.ResizesInput"/> is false). Save it with <c>mlContext.Model.Save</c>; call
/// <c>mlContext.Gan()</c> before <c>mlContext.Model.Load</c>.
/// </summary>
public sealed class ImageClassifierTransformer : FeatureExtractor, ITransformer, ICanSaveModel
{
    internal const string PayloadKind = "GanImageClassifier";

    /// <summary>The name of the predicted class column: <c>Key&lt;UInt32, ClassCount&gt;</c>.</summary>
    public const string PredictedLabelColumnName = "PredictedLabel";

    /// <summary>The name of the class probability column: <c>Vector&lt;Single, ClassCount&gt;</c>.</summary>
    public const string ScoreColumnName = DefaultColumnNames.Score;

    private readonly object _sync = new();
    private readonly ImageClassifierNetwork _network;
    private readonly Device _device;
    private readonly string[] _classNames;
    private bool _disposed;

    internal ImageClassifierTransformer(ImageClassifierNetwork network, Device device, ImageInputFormat input, int featureDimension, string[] classNames)
        : base(input.Shape.Channels, input.Shape.Height, input.Shape.Width, resizesInput: false)
    {
        _network = network;
        _device = device;
        Input = input;
        FeatureDimension = featureDimension;
        _classNames = classNames;
        _network.eval();
    }

    /// <inheritdoc/>
    public override int FeatureDimension { get; }

    /// <inheritdoc/>
    public override int ClassCount => _classNames.Length;

    /// <summary>The class names, in key order (key k is <c>ClassNames[k − 1]</c>): the label column's <c>KeyValues</c>, or "0", "1", ... for numeric labels.</summary>
    public IReadOnlyList<string> ClassNames => _classNames;

    /// <summary>The image column the classifier was trained on and <see cref="Transform"/> reads.</summary>
    public string ImageColumnName => Input.ColumnName;

    /// <summary>Always true: each row is classified on its own.</summary>
    public bool IsRowToRowMapper => true;

    internal ImageInputFormat Input { get; }

    /// <summary>The input schema plus <c>PredictedLabel</c> and <c>Score</c>; throws if the image column is missing or of another size.</summary>
    /// <param name="inputSchema">A schema with the training image column.</param>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => CreateMapping(inputSchema).OutputSchema;

    /// <summary>Adds <c>PredictedLabel</c> and <c>Score</c>, computed lazily.</summary>
    /// <param name="input">Rows with the training image column.</param>
    public IDataView Transform(IDataView input) => new MappedDataView(input, CreateMapping(input.Schema));

    /// <summary>The row-at-a-time mapper <c>PredictionEngine</c> uses.</summary>
    /// <param name="inputSchema">A schema with the training image column.</param>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => new RowToRowMapper(CreateMapping(inputSchema));

    void ICanSaveModel.Save(ModelSaveContext ctx) =>
        MlNetBridge.SaveModel(ctx, PayloadKind, writer => WithNetwork(network => ImageClassifierSerializer.Write(writer, this, network)));

    /// <summary>Class probabilities of <paramref name="count"/> planar images in [−1, 1].</summary>
    internal void Predict(ReadOnlySpan<float> images, int count, Span<float> probabilities)
    {
        lock (_sync)
        {
            ThrowIfDisposed();
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            Tensor x = tensor(images[..(count * Input.Shape.PixelCount)].ToArray(), Input.Shape.AsBatchShape(count)).to(_device);
            Tensor result = _network.call(x).softmax(1).cpu().contiguous();
            result.data<float>().CopyTo(probabilities[..(count * ClassCount)]);
        }
    }

    internal void WithNetwork(Action<ImageClassifierNetwork> action)
    {
        lock (_sync)
        {
            ThrowIfDisposed();
            action(_network);
        }
    }

    private protected override (Tensor Features, Tensor? Logits) Forward(Tensor batch)
    {
        lock (_sync)
        {
            ThrowIfDisposed();
            Tensor features = _network.Features(batch.to(_device));
            return (features, _network.Classify(features));
        }
    }

    private protected override void Dispose(bool disposing)
    {
        lock (_sync)
        {
            if (disposing && !_disposed)
            {
                _network.Dispose();
            }

            _disposed = true;
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    private ClassifierRowMapping CreateMapping(DataViewSchema inputSchema) => new(this, inputSchema);
}
