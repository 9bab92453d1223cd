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
    private readonly nn.Module<Tensor, Tensor> _generator;
    private readonly nn.Module<Tensor, Tensor>? _discriminator;
    private bool _disposed;

    public GanModel(NetworkSpec spec, GanLoss loss, ImageInputFormat input, nn.Module<Tensor, Tensor> generator,
        nn.Module<Tensor, Tensor>? discriminator, Device device, IReadOnlyList<GanTrainingRecord> history, double? generatorEmaDecay = null)
    {
        GeneratorEmaDecay = generatorEmaDecay;
        Spec = spec;
        Loss = loss;
        Input = input;
        Device = device;
        History = history;
        _generator = generator;
        _discriminator = discriminator;
        _generator.eval();
        _discriminator?.eval();
    }

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
    public void Generate(ReadOnlySpan<float> latents, int count, Span<float> images)
    {
        lock (_sync)
        {
            ThrowIfDisposed();
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            Tensor z = tensor(latents[..(count * LatentDimension)].ToArray(), new long[] { count, LatentDimension }).to(Device);
            Tensor result = _generator.call(z).cpu().contiguous();
            result.data<float>().CopyTo(images[..(count * Shape.PixelCount)]);
        }
    }

    /// <summary>The discriminator's raw score (its first output) for <paramref name="count"/> images in [−1, 1].</summary>
    public void Score(ReadOnlySpan<float> images, int count, Span<float> scores)
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
            Tensor result = _discriminator.call(x).select(1, 0).cpu().contiguous();
            result.data<float>().CopyTo(scores[..count]);
        }
    }

    /// <summary>Runs <paramref name="action"/> on the networks while no other thread uses them (saving, copying).</summary>
    public void WithNetworks(Action<nn.Module<Tensor, Tensor>, nn.Module<Tensor, Tensor>?> action)
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
            _generator.Dispose();
            _discriminator?.Dispose();
        }
    }

    private void ThrowIfDisposed()
    {
        if (_disposed)
        {
            throw new ObjectDisposedException(nameof(GanTransformer), "This GAN model was disposed; load or train it again to use it.");
        }
    }
}
