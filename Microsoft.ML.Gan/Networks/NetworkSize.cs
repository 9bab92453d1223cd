using Microsoft.ML.Gan.Data;

namespace Microsoft.ML.Gan.Networks;

/// <summary>
/// How many weights the networks of a description have at least, computed without building them: a loader compares
/// it with the bytes a file holds before it lets the file's sizes decide how much memory to take.
/// </summary>
/// <remarks>
/// Counts the weight matrices and kernels of every Linear and convolution (the bulk of each network); biases,
/// normalisation layers and spectral-norm vectors are left out, so the count never exceeds the saved state.
/// Keep it in step with the networks' constructors (NetworkSizeTests compares it with built networks).
/// </remarks>
internal static class NetworkSize
{
    private const long KernelArea = 4 * 4;
    private const long ClassifierKernelArea = 3 * 3;

    /// <summary>Weights of the generator <see cref="GanNetworkFactory.CreateGenerator"/> builds.</summary>
    public static long Generator(NetworkSpec spec)
    {
        ImageShape shape = spec.Shape;
        long pixels = (long)shape.Channels * shape.Height * shape.Width;
        if (spec.Architecture == GanArchitecture.Mlp)
        {
            const long hidden = MlpGenerator.HiddenWidth;
            return spec.LatentDimension * hidden + hidden * hidden + hidden * pixels;
        }
        var layout = DcganLayout.For(shape);
        long start = (long)layout.HiddenChannels(0) * layout.StartHeight * layout.StartWidth;
        long weights = spec.LatentDimension * start;
        for (int level = 0; level < layout.Depth; level++)
        {
            long outChannels = level + 1 == layout.Depth ? shape.Channels : layout.HiddenChannels(level + 1);
            weights += layout.HiddenChannels(level) * outChannels * KernelArea;
        }
        return weights;
    }

    /// <summary>Weights of the discriminator <see cref="GanNetworkFactory.CreateDiscriminator"/> builds (also the O-GAN encoder).</summary>
    public static long Discriminator(NetworkSpec spec)
    {
        ImageShape shape = spec.Shape;
        if (spec.Architecture == GanArchitecture.Mlp)
        {
            const long hidden = MlpDiscriminator.HiddenWidth;
            return (long)shape.Channels * shape.Height * shape.Width * hidden + hidden * hidden + hidden * spec.DiscriminatorOutputs;
        }
        var layout = DcganLayout.For(shape);
        long weights = 0;
        long inChannels = shape.Channels;
        for (int n = 1; n <= layout.Depth; n++)
        {
            long outChannels = layout.HiddenChannels(layout.Depth - n);
            weights += inChannels * outChannels * KernelArea;
            inChannels = outChannels;
        }
        return weights + inChannels * layout.StartHeight * layout.StartWidth * spec.DiscriminatorOutputs;
    }

    /// <summary>Weights of an <see cref="ImageClassifierNetwork"/>.</summary>
    public static long ImageClassifier(ImageShape shape, int featureDimension, int classes)
    {
        long flattened = 64L * (shape.Height / 4) * (shape.Width / 4);
        return shape.Channels * 32 * ClassifierKernelArea + 32 * 64 * ClassifierKernelArea + flattened * featureDimension
            + (long)featureDimension * classes;
    }
}
