using System;
using System.Globalization;
using Microsoft.ML.Gan.Data;
using Microsoft.ML.Gan.Evaluation;
using Microsoft.ML.Gan.Torch;
using Microsoft.ML.Gan.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan;

/// <summary>
/// Turns images into feature vectors (and, for extractors that classify, class probabilities): the space in which
/// <see cref="GanCatalog.Evaluate"/> compares generated with real images.
/// </summary>
/// <remarks>
/// Kinds: an <see cref="ImageClassifierTransformer"/> trained with <c>mlContext.Gan().Evaluation.TrainClassifier</c>
/// (features: its penultimate layer; probabilities: its softmax), and a TorchScript module loaded with
/// <see cref="FromTorchScript"/> (for example an Inception network exported from Python, for FIDs comparable with the
/// literature). Images reach the extractor as planar floats in [−1, 1]; each kind says in <see cref="ResizesInput"/>
/// whether images of another size or channel count are converted or rejected.
/// </remarks>
public abstract class FeatureExtractor : IDisposable
{
    private protected FeatureExtractor(int imageChannels, int imageHeight, int imageWidth, bool resizesInput)
    {
        ImageChannels = imageChannels;
        ImageHeight = imageHeight;
        ImageWidth = imageWidth;
        ResizesInput = resizesInput;
    }

    /// <summary>The length of the feature vectors.</summary>
    public abstract int FeatureDimension { get; }

    /// <summary>The number of classes whose probabilities the extractor gives; 0 when it does not classify.</summary>
    public abstract int ClassCount { get; }

    /// <summary>The width in pixels of the images the extractor reads.</summary>
    public int ImageWidth { get; }

    /// <summary>The height in pixels of the images the extractor reads.</summary>
    public int ImageHeight { get; }

    /// <summary>1 for grayscale, 3 for R, G, B.</summary>
    public int ImageChannels { get; }

    /// <summary>
    /// True when images of another size are resized (bilinear) and grayscale images are repeated into 3 channels
    /// (colour images averaged into 1 as 0.3 R + 0.59 G + 0.11 B); false when such images are rejected with an
    /// <see cref="ArgumentException"/> naming the column.
    /// </summary>
    public bool ResizesInput { get; }

    internal ImageShape InputShape => new(ImageChannels, ImageHeight, ImageWidth);

    /// <summary>
    /// Loads a TorchScript module (saved from Python with <c>torch.jit.save(torch.jit.script(m), path)</c> or
    /// <c>torch.jit.trace</c>) as a feature extractor. Its <c>forward</c> takes a float tensor [N, C, H, W] and returns
    /// either the features [N, D], or a tuple (features [N, D], class logits [N, K]) for a classifying extractor.
    /// </summary>
    /// <param name="path">The TorchScript file.</param>
    /// <param name="imageWidth">The width the module expects (299 for the usual Inception v3 FID network).</param>
    /// <param name="imageHeight">The height the module expects.</param>
    /// <param name="imageChannels">The channels the module expects (1 or 3).</param>
    /// <param name="inputRange">The value range the module expects; images are mapped from [−1, 1] to it.</param>
    /// <exception cref="System.IO.FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="System.IO.InvalidDataException">The file is not a TorchScript module, or its output is not as described.</exception>
    public static FeatureExtractor FromTorchScript(string path, int imageWidth, int imageHeight, int imageChannels = 3,
        PixelRange inputRange = PixelRange.MinusOneToOne) =>
        TorchScriptFeatureExtractor.Load(path, new ImageShape(imageChannels, imageHeight, imageWidth), inputRange);

    /// <summary>Frees the extractor's native memory.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Frees the networks when <paramref name="disposing"/>.</summary>
    /// <param name="disposing">True from <see cref="Dispose()"/>.</param>
    private protected abstract void Dispose(bool disposing);

    /// <summary>One forward pass on a prepared batch (on the CPU, in the extractor's input shape, in [−1, 1]): features and, for classifiers, logits.</summary>
    private protected abstract (Tensor Features, Tensor? Logits) Forward(Tensor batch);

    /// <summary>Throws an <see cref="ArgumentException"/> naming the column when images of <paramref name="actual"/> cannot be read.</summary>
    internal void CheckInput(ImageShape actual, string columnName, string role)
    {
        if (actual == InputShape || ResizesInput)
        {
            return;
        }

        throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
            $"Column '{columnName}' of the {role} images holds {actual} images (channels x height x width) but the feature extractor reads {InputShape} images and does not resize; resize the images (ResizeImages) or use an extractor trained on this size."),
            columnName);
    }

    /// <summary>
    /// Features (float64 [N, D]) and, when <see cref="ClassCount"/> &gt; 0, class probabilities (float64 [N, K]) of
    /// <paramref name="images"/> ([N, C, H, W] in [−1, 1] on the CPU), computed in batches. The caller owns the result.
    /// </summary>
    internal ExtractedFeatures Extract(Tensor images, int batchSize, Action? checkAlive = null)
    {
        TorchBackend.EnsureAvailable();
        long count = images.shape[0];
        var features = new Tensor[(count + batchSize - 1) / batchSize];
        var probabilities = ClassCount > 0 ? new Tensor[features.Length] : null;
        try
        {
            for (int b = 0; b < features.Length; b++)
            {
                checkAlive?.Invoke();
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                long start = (long)b * batchSize;
                Tensor batch = Prepare(images.narrow(0, start, Math.Min(batchSize, count - start)));
                (Tensor f, Tensor? logits) = Forward(batch);
                features[b] = CheckOutput(f, batch.shape[0], FeatureDimension, "features").to(float64).MoveToOuterDisposeScope();
                if (probabilities is not null)
                {
                    Tensor l = CheckOutput(logits ?? throw new InvalidOperationException("The classifying extractor returned no class logits."),
                        batch.shape[0], ClassCount, "class logits");
                    probabilities[b] = l.to(float64).softmax(1).MoveToOuterDisposeScope();
                }
            }

            return new ExtractedFeatures(cat(features, 0), probabilities is null ? null : cat(probabilities, 0));
        }
        finally
        {
            foreach (Tensor? t in features)
            {
                t?.Dispose();
            }

            foreach (Tensor? t in probabilities ?? Array.Empty<Tensor>())
            {
                t?.Dispose();
            }
        }
    }

    private Tensor Prepare(Tensor batch)
    {
        long channels = batch.shape[1];
        if (channels != ImageChannels)
        {
            batch = channels == 1
                ? batch.expand(-1, ImageChannels, -1, -1)
                : (batch * tensor(new[] { 0.3f, 0.59f, 0.11f }).view(1, 3, 1, 1)).sum(1, keepdim: true);
        }

        if (batch.shape[2] != ImageHeight || batch.shape[3] != ImageWidth)
        {
            batch = nn.functional.interpolate(batch, new long[] { ImageHeight, ImageWidth }, mode: InterpolationMode.Bilinear, align_corners: false);
        }

        return batch.contiguous();
    }

    private static Tensor CheckOutput(Tensor output, long rows, int columns, string what)
    {
        if (output.dim() != 2 || output.shape[0] != rows || output.shape[1] != columns)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"The feature extractor returned {what} of shape [{string.Join(", ", output.shape)}] for {rows} images; expected [{rows}, {columns}]."));
        }

        return output.cpu();
    }
}
