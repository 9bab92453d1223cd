using System;
using System.Globalization;
using Microsoft.ML.Gan.Torch;
using Microsoft.ML.Gan.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Networks;

/// <summary>
/// Builds the generator and discriminator a <see cref="NetworkSpec"/> describes, initialised only from the
/// generator passed in (same seed → same weights).
/// </summary>
/// <remarks>
/// Call outside any dispose scope: the modules outlive the training steps. Modules are built on the CPU; move them
/// with <c>to(device)</c> afterwards.
/// </remarks>
internal static class GanNetworkFactory
{
    /// <summary>G: [N, LatentDimension] → [N, C, H, W] in [−1, 1].</summary>
    /// <exception cref="InsufficientMemoryException">libtorch could not allocate the weights; the message names the sizes, the original is the inner exception.</exception>
    public static nn.Module<Tensor, Tensor> CreateGenerator(NetworkSpec spec, torch.Generator initRandom)
    {
        ThrowIfUnsupported(spec, initRandom);
        return LibTorchAllocation.Translate(() => BuildGenerator(spec, initRandom), () => TooLarge(spec, "generator"));
    }

    private static nn.Module<Tensor, Tensor> BuildGenerator(NetworkSpec spec, torch.Generator initRandom)
    {
        switch (spec.Architecture)
        {
            case GanArchitecture.Mlp:
                var mlp = new MlpGenerator(spec.LatentDimension, spec.Shape);
                NetworkInitialization.InitializeFanInUniform(mlp, initRandom);
                return mlp;
            case GanArchitecture.Dcgan:
                var dcgan = new DcganGenerator(spec.LatentDimension, spec.Shape);
                NetworkInitialization.InitializeDcgan(dcgan, initRandom);
                return dcgan;
            case GanArchitecture.ResNet:
                var resNet = new ResNetGenerator(spec.LatentDimension, spec.Shape);
                NetworkInitialization.InitializeGlorotUniform(resNet, initRandom);
                return resNet;
            default:
                throw UnknownArchitecture(spec);
        }
    }

    /// <summary>D: [N, C, H, W] → [N, DiscriminatorOutputs] raw scores (logits; no Sigmoid).</summary>
    /// <exception cref="InsufficientMemoryException">libtorch could not allocate the weights; the message names the sizes, the original is the inner exception.</exception>
    public static nn.Module<Tensor, Tensor> CreateDiscriminator(NetworkSpec spec, torch.Generator initRandom)
    {
        ThrowIfUnsupported(spec, initRandom);
        return LibTorchAllocation.Translate(() => BuildDiscriminator(spec, initRandom), () => TooLarge(spec, "discriminator"));
    }

    private static nn.Module<Tensor, Tensor> BuildDiscriminator(NetworkSpec spec, torch.Generator initRandom)
    {
        switch (spec.Architecture)
        {
            case GanArchitecture.Mlp:
                var mlp = new MlpDiscriminator(spec.Shape, spec.DiscriminatorOutputs, spec.SpectralNormalization, initRandom);
                NetworkInitialization.InitializeFanInUniform(mlp, initRandom);
                return mlp;
            case GanArchitecture.Dcgan:
                var dcgan = new DcganDiscriminator(
                    spec.Shape, spec.DiscriminatorOutputs, spec.DiscriminatorBatchNorm, spec.SpectralNormalization, initRandom);
                NetworkInitialization.InitializeDcgan(dcgan, initRandom);
                return dcgan;
            case GanArchitecture.ResNet:
                var resNet = new ResNetDiscriminator(spec.Shape, spec.DiscriminatorOutputs, spec.SpectralNormalization, initRandom);
                NetworkInitialization.InitializeGlorotUniform(resNet, initRandom);
                return resNet;
            default:
                throw UnknownArchitecture(spec);
        }
    }

    /// <summary>
    /// G(z, y): the generator of <paramref name="spec"/> reading z concatenated with the one-hot class, for
    /// <paramref name="classes"/> classes.
    /// </summary>
    public static ConditionalGenerator CreateConditionalGenerator(NetworkSpec spec, int classes, torch.Generator initRandom) =>
        new(CreateGenerator(spec with { LatentDimension = spec.LatentDimension + classes }, initRandom), classes);

    /// <summary>D(x, y): the discriminator of <paramref name="spec"/> with the output blocks <paramref name="method"/> needs.</summary>
    public static ConditionalDiscriminator CreateConditionalDiscriminator(
        NetworkSpec spec, int classes, ConditioningMethod method, torch.Generator initRandom) =>
        new(CreateDiscriminator(spec with { DiscriminatorOutputs = ConditionalDiscriminator.OutputsFor(classes, method) }, initRandom),
            classes, method);

    /// <summary>Null when the networks can be built for <paramref name="spec"/>; otherwise a message for the user saying why.</summary>
    public static string? DescribeUnsupported(NetworkSpec spec)
    {
        if (spec is null)
        {
            throw new ArgumentNullException(nameof(spec));
        }

        var shape = spec.Shape;
        if (shape.Channels < 1 || shape.Height < 1 || shape.Width < 1)
        {
            return Format("Images need at least one channel and one pixel; got {0}.", shape);
        }

        if (spec.LatentDimension < 1)
        {
            return Format("The latent dimension must be at least 1; got {0}.", spec.LatentDimension);
        }

        if (spec.DiscriminatorOutputs < 1)
        {
            return Format("The discriminator needs at least one output; got {0}.", spec.DiscriminatorOutputs);
        }

        switch (spec.Architecture)
        {
            case GanArchitecture.Mlp:
                return null;
            case GanArchitecture.Dcgan:
                return DcganLayout.For(shape).Depth >= 1
                    ? null
                    : Format(
                        "Dcgan needs images of at least 8x8 pixels whose height and width can be halved at least once " +
                        "(to a start map of 4x4 or more); got {0}. Resize the images or use Mlp, which takes any size.",
                        shape);
            case GanArchitecture.ResNet:
                return ResNetLayout.For(shape).IsBuildable
                    ? null
                    : Format(
                        "ResNet builds images whose sides halve together, 2 to 5 times, down to a start map of 4 to 8 pixels " +
                        "a side: squares of " + string.Join(", ", ResNetLayout.BuildableSquareSides()) + " px, or rectangles " +
                        "such as 16x32; got {0}. Resize the images (28, 32, 64 or 128 px are usual) or use Dcgan.",
                        shape);
            default:
                return Format("Unknown architecture {0}; use Mlp, Dcgan or ResNet.", spec.Architecture);
        }
    }

    private static void ThrowIfUnsupported(NetworkSpec spec, torch.Generator initRandom)
    {
        if (initRandom is null)
        {
            throw new ArgumentNullException(nameof(initRandom));
        }

        string? problem = DescribeUnsupported(spec);
        if (problem is not null)
        {
            throw new ArgumentException(problem, nameof(spec));
        }
    }

    private static string TooLarge(NetworkSpec spec, string network) => string.Format(CultureInfo.InvariantCulture,
        "Building the {0} {1} for LatentDimension {2} and {3} images (about {4:0.###e+0} weights in G and D) needs more memory than this machine could give",
        spec.Architecture, network, spec.LatentDimension, spec.Shape, NetworkSize.Of(spec).Parameters);

    private static ArgumentException UnknownArchitecture(NetworkSpec spec)
        => new(Format("Unknown architecture {0}; use Mlp, Dcgan or ResNet.", spec.Architecture), nameof(spec));

    private static string Format(string format, object arg) => string.Format(CultureInfo.InvariantCulture, format, arg);
}
