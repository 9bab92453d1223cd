using System;
using System.Collections.Generic;
using Microsoft.ML.Gan.Data;
using Microsoft.ML.Gan.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Transformers;

/// <summary>
/// Trained networks and what it takes to use them: the one object transformers share. Forward passes are serialised
/// with a lock so a transformer can be used from several threads, and none can run on disposed networks.
/// </summary>
internal sealed class GanModel : IDisposable
{
    private readonly object _sync = new();
    private readonly nn.Module _generator;
    private readonly nn.Module? _discriminator;
    // What Generate runs: a faster copy of the generator built on first use, or the generator itself.
    private nn.Module? _drawingGenerator;
    private bool _disposed;

    public GanModel(NetworkSpec spec, GanLoss loss, ImageInputFormat input, nn.Module<Tensor, Tensor> generator,
        nn.Module<Tensor, Tensor>? discriminator, Device device, IReadOnlyList<GanTrainingRecord> history, double? generatorEmaDecay = null)
        : this(spec, loss, input, (nn.Module)generator, discriminator, device, history, conditioning: null, generatorEmaDecay)
    {
    }

    /// <summary>A class-conditional model: the networks read class indices beside latents and images.</summary>
    public GanModel(NetworkSpec spec, GanLoss loss, ImageInputFormat input, ConditionalGenerator generator,
        ConditionalDiscriminator? discriminator, Device device, IReadOnlyList<GanTrainingRecord> history, LabelConditioning conditioning,
        double? generatorEmaDecay = null)
        : this(spec, loss, input, (nn.Module)generator, discriminator, device, history, conditioning, generatorEmaDecay)
    {
    }

    private GanModel(NetworkSpec spec, GanLoss loss, ImageInputFormat input, nn.Module generator, nn.Module? discriminator,
        Device device, IReadOnlyList<GanTrainingRecord> history, LabelConditioning? conditioning, double? generatorEmaDecay)
    {
        GeneratorEmaDecay = generatorEmaDecay;
        Spec = spec;
        Loss = loss;
        Input = input;
        Device = device;
        History = history;
        Conditioning = conditioning;
        _generator = generator;
        _discriminator = discriminator;
        _generator.eval();
        _discriminator?.eval();
    }

    /// <summary>The classes and conditioning method of a conditional model; null for an unconditional one.</summary>
    public LabelConditioning? Conditioning { get; }

    /// <summary>The column <c>Transform</c> adds with the discriminator's score.</summary>
    public string ScoreColumnName { get; init; } = GanTrainer.Options.Defaults.ScoreColumnName;

    /// <summary>The column an O-GAN's <c>Transform</c> adds with the code; unused by other models.</summary>
    public string LatentColumnName { get; init; } = OGanTrainer.Options.OGanDefaults.LatentColumnName;

    /// <summary>The classes of a conditional model; null for an unconditional one.</summary>
    public ClassLabels? Labels => Conditioning?.Labels;

    public NetworkSpec Spec { get; }

    public GanLoss Loss { get; }

    public ImageInputFormat Input { get; }

    public Device Device { get; }

    public IReadOnlyList<GanTrainingRecord> History { get; }

    /// <summary>The decay of the moving average the generator's weights come from, or null when they are the trained weights.</summary>
    public double? GeneratorEmaDecay { get; }

    public ImageShape Shape => Spec.Shape;

    public int LatentDimension => Spec.LatentDimension;

    public bool HasDiscriminator => _discriminator != null;

    /// <summary>Turns <paramref name="count"/> latent vectors into images (planar, in [−1, 1]).</summary>
    public void Generate(ReadOnlySpan<float> latents, int count, Span<float> images) => Generate(latents, ReadOnlySpan<long>.Empty, count, images);

    /// <summary>
    /// Turns <paramref name="count"/> latent vectors into images (planar, in [−1, 1]); a conditional model draws image i
    /// of class <paramref name="labels"/>[i] (class indices), an unconditional one ignores the labels.
    /// </summary>
    public void Generate(ReadOnlySpan<float> latents, ReadOnlySpan<long> labels, int count, Span<float> images)
    {
        lock (_sync)
        {
            ThrowIfDisposed();
            // Built before the scope: its buffers must outlive this call.
            _drawingGenerator ??= InferenceGenerator.FoldedCopyOrNull(_generator) ?? _generator;
            using var scope = NewDisposeScope();
            using var inference = inference_mode();
            Tensor z = tensor(latents[..(count * LatentDimension)].ToArray(), new long[] { count, LatentDimension }).to(Device);
            Tensor generated = _drawingGenerator switch
            {
                ConditionalGenerator conditional => conditional.call(z, ClassTensor(labels, count)),
                nn.Module<Tensor, Tensor> generator => generator.call(z),
                _ => throw new InvalidOperationException($"Unexpected generator type {_drawingGenerator.GetType().Name}."),
            };
            Tensor result = generated.cpu().contiguous();
            result.data<float>().CopyTo(images[..(count * Shape.PixelCount)]);
        }
    }

    /// <summary>The discriminator's raw score (its first output) for <paramref name="count"/> images in [−1, 1].</summary>
    public void Score(ReadOnlySpan<float> images, int count, Span<float> scores) => Score(images, ReadOnlySpan<long>.Empty, count, scores);

    /// <summary>
    /// The discriminator's raw score for <paramref name="count"/> images in [−1, 1]; a conditional model scores image i
    /// as an image of class <paramref name="labels"/>[i].
    /// </summary>
    public void Score(ReadOnlySpan<float> images, ReadOnlySpan<long> labels, int count, Span<float> scores)
    {
        lock (_sync)
        {
            ThrowIfDisposed();
            if (_discriminator == null)
            {
                throw new InvalidOperationException("This model holds only a generator; it has no discriminator to score images with.");
            }
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            Tensor x = tensor(images[..(count * Shape.PixelCount)].ToArray(), Shape.AsBatchShape(count)).to(Device);
            Tensor scored = _discriminator switch
            {
                ConditionalDiscriminator conditional => conditional.call(x, ClassTensor(labels, count)),
                nn.Module<Tensor, Tensor> discriminator => discriminator.call(x).select(1, 0),
                _ => throw new InvalidOperationException($"Unexpected discriminator type {_discriminator.GetType().Name}."),
            };
            Tensor result = scored.cpu().contiguous();
            result.data<float>().CopyTo(scores[..count]);
        }
    }

    /// <summary>Runs <paramref name="action"/> on the networks while no other thread uses them (saving, copying).</summary>
    public void WithNetworks(Action<nn.Module, nn.Module?> action)
    {
        lock (_sync)
        {
            ThrowIfDisposed();
            action(_generator, _discriminator);
        }
    }

    public void Dispose()
    {
        lock (_sync)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            if (_drawingGenerator != _generator)
            {
                _drawingGenerator?.Dispose();
            }
            _generator.Dispose();
            _discriminator?.Dispose();
        }
    }

    private Tensor ClassTensor(ReadOnlySpan<long> labels, int count)
    {
        if (labels.Length < count)
        {
            throw new ArgumentException($"{labels.Length} class labels were given for {count} images; a conditional model needs one per image.", nameof(labels));
        }
        return tensor(labels[..count].ToArray(), new long[] { count }).to(Device);
    }

    private void ThrowIfDisposed()
    {
        if (_disposed)
        {
            throw new ObjectDisposedException(nameof(GanTransformer), "This GAN model was disposed; load or train it again to use it.");
        }
    }
}
