using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.Gan.Data;
using Microsoft.ML.Gan.Networks;
using Microsoft.ML.Gan.Persistence;
using Microsoft.ML.Gan.Transformers;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Features;

/// <summary>
/// The featurizer's own copy of a trained discriminator's image path, and the features it computes: every
/// convolutional layer's feature map max-pooled to a GridSize × GridSize grid, flattened and concatenated
/// (Radford et al. 2015, §5.1). Forward passes hold a lock, so the transformers that share it can be used from several threads.
/// </summary>
internal sealed class DiscriminatorFeatureNetwork : IDisposable
{
    private readonly object _sync = new();
    private readonly nn.Module<Tensor, Tensor> _network;
    private bool _disposed;

    /// <param name="spec">The spec <paramref name="network"/> was built from (its DiscriminatorOutputs included).</param>
    /// <param name="input">How the image column is read.</param>
    /// <param name="gridSize">The side of the grid every layer is pooled to.</param>
    /// <param name="network">A discriminator implementing <see cref="ILayerActivations"/>; this object owns it.</param>
    /// <param name="device">Where <paramref name="network"/> is.</param>
    /// <param name="sourceKind">The transformer the weights came from, for users and messages.</param>
    public DiscriminatorFeatureNetwork(NetworkSpec spec, ImageInputFormat input, int gridSize, nn.Module<Tensor, Tensor> network, Device device, string sourceKind)
    {
        if (network is not ILayerActivations)
        {
            throw new ArgumentException(Unsupported(sourceKind, spec.Architecture), nameof(network));
        }
        Spec = spec;
        Input = input;
        GridSize = gridSize;
        Device = device;
        SourceKind = sourceKind;
        _network = network;
        _network.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        LayerChannels = Layers(zeros(Shape.AsBatchShape(1)).to(device)).Select(map => (int)map.shape[1]).ToArray();
        FeatureCount = LayerChannels.Sum() * gridSize * gridSize;
    }

    public NetworkSpec Spec { get; }

    public ImageInputFormat Input { get; }

    public ImageShape Shape => Spec.Shape;

    public int GridSize { get; }

    public Device Device { get; }

    public string SourceKind { get; }

    /// <summary>The channels of each convolutional layer, input side first.</summary>
    public IReadOnlyList<int> LayerChannels { get; }

    /// <summary>The width of the feature vector: the sum over layers of channels × GridSize².</summary>
    public int FeatureCount { get; }

    /// <summary>
    /// Copies the image path of <paramref name="model"/>'s discriminator: the whole discriminator of a plain GAN, the
    /// unconditional network φ(x) of a conditional one (the class enters only after it), the encoder E of an O-GAN.
    /// </summary>
    /// <exception cref="ArgumentException">The model has no discriminator, or one without convolutional layers.</exception>
    public static DiscriminatorFeatureNetwork CopyFrom(GanTransformerBase model, string inputColumnName, int gridSize)
    {
        GanModel gan = model.Networks;
        string kind = model.GetType().Name;
        byte[] weights = Array.Empty<byte>();
        NetworkSpec spec = gan.Spec;
        gan.WithNetworks((_, discriminator) =>
        {
            (nn.Module<Tensor, Tensor> imagePath, spec) = ImagePath(gan, discriminator, kind);
            using var buffer = new MemoryStream();
            imagePath.save(buffer);
            weights = buffer.ToArray();
        });
        nn.Module<Tensor, Tensor> copy;
        using (var initRandom = new torch.Generator(0))
        {
            copy = GanNetworkFactory.CreateDiscriminator(spec, initRandom);
        }
        try
        {
            GanModelSerializer.LoadWeights(copy, weights, "discriminator");
            copy.to(gan.Device);
            ImageInputFormat input = gan.Input with { ColumnName = inputColumnName };
            return new DiscriminatorFeatureNetwork(spec, input, gridSize, copy, gan.Device, kind);
        }
        catch
        {
            copy.Dispose();
            throw;
        }
    }

    /// <summary>Throws the error <see cref="CopyFrom"/> would for <paramref name="model"/>, without copying anything.</summary>
    public static void CheckSupported(GanTransformerBase model)
    {
        GanModel gan = model.Networks;
        gan.WithNetworks((_, discriminator) => ImagePath(gan, discriminator, model.GetType().Name));
    }

    /// <summary>Features [N, FeatureCount] on the CPU for images [N, C, H, W] in [−1, 1]; call it inside a dispose scope.</summary>
    public Tensor Extract(Tensor images)
    {
        lock (_sync)
        {
            ThrowIfDisposed();
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            Tensor[] pooled = Layers(images.to(Device))
                .Select(map => nn.functional.adaptive_max_pool2d(map, new long[] { GridSize, GridSize }).flatten(1))
                .ToArray();
            return cat(pooled, 1).cpu().MoveToOuterDisposeScope();
        }
    }

    /// <summary>Features of <paramref name="count"/> planar images in [−1, 1], row after row, into <paramref name="features"/>.</summary>
    public void Extract(ReadOnlySpan<float> images, int count, Span<float> features)
    {
        using var scope = NewDisposeScope();
        Tensor x = tensor(images[..(count * Shape.PixelCount)].ToArray(), Shape.AsBatchShape(count));
        Extract(x).contiguous().data<float>().CopyTo(features[..(count * FeatureCount)]);
    }

    /// <summary>Writes the network's weights as <see cref="GanModelSerializer.WriteModule"/> does.</summary>
    public void WriteWeights(BinaryWriter writer)
    {
        lock (_sync)
        {
            ThrowIfDisposed();
            GanModelSerializer.WriteModule(writer, _network, "discriminator");
        }
    }

    public void Dispose()
    {
        lock (_sync)
        {
            if (!_disposed)
            {
                _disposed = true;
                _network.Dispose();
            }
        }
    }

    /// <summary>The message for a model whose discriminator has no convolutional feature maps.</summary>
    public static string Unsupported(string kind, GanArchitecture architecture) =>
        $"Discriminator features are the pooled feature maps of a convolutional discriminator; this {kind} was trained with " +
        $"architecture {architecture}, whose discriminator has none. Train the GAN with GanArchitecture.{GanArchitecture.Dcgan} or GanArchitecture.{GanArchitecture.ResNet}.";

    private IReadOnlyList<Tensor> Layers(Tensor images) => ((ILayerActivations)_network).LayerActivations(images);

    // The network that reads the image alone, and the spec it was built from.
    private static (nn.Module<Tensor, Tensor> Network, NetworkSpec Spec) ImagePath(GanModel gan, nn.Module? discriminator, string kind)
    {
        (nn.Module<Tensor, Tensor> network, NetworkSpec spec) = discriminator switch
        {
            null => throw new ArgumentException($"This {kind} holds only a generator; discriminator features need its discriminator.", "model"),
            ConditionalDiscriminator conditional => (conditional.Unconditional,
                gan.Spec with { DiscriminatorOutputs = ConditionalDiscriminator.OutputsFor(conditional.Classes, conditional.Method) }),
            OGanCritic critic => (critic.Encoder, gan.Spec),
            nn.Module<Tensor, Tensor> plain => (plain, gan.Spec),
            _ => throw new InvalidOperationException($"Unexpected discriminator type {discriminator.GetType().Name}."),
        };
        if (network is not ILayerActivations)
        {
            throw new ArgumentException(Unsupported(kind, spec.Architecture), "model");
        }
        return (network, spec);
    }

    private void ThrowIfDisposed()
    {
        if (_disposed)
        {
            throw new ObjectDisposedException(nameof(DiscriminatorFeaturesTransformer), "This featurizer was disposed; fit or load it again to use it.");
        }
    }
}
