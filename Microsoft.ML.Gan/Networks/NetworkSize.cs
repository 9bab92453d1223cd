using System;

namespace Microsoft.ML.Gan.Networks;

/// <summary>
/// How big the generator and discriminator <see cref="GanNetworkFactory"/> builds for a <see cref="NetworkSpec"/> are,
/// computed from the spec alone, so that absurd sizes are refused before libtorch tries to allocate them.
/// </summary>
/// <remarks>
/// Counts are doubles: for the sizes this exists to refuse they exceed a long. Spectral normalization's power-iteration
/// vectors are left out (a few values per layer).
/// </remarks>
/// <param name="Parameters">Trainable values of G and D together.</param>
/// <param name="GeneratorParameters">Trainable values of G (an EMA copy holds as many again).</param>
/// <param name="ActivationsPerImage">Values one image produces in the layers of one forward pass through G and D (what backpropagation keeps).</param>
internal readonly record struct NetworkSize(double Parameters, double GeneratorParameters, double ActivationsPerImage)
{
    private const double KernelArea = 4 * 4;

    /// <summary>The sizes for <paramref name="spec"/>, which <see cref="GanNetworkFactory.DescribeUnsupported"/> accepts.</summary>
    public static NetworkSize Of(NetworkSpec spec) => spec.Architecture switch
    {
        GanArchitecture.Mlp => Mlp(spec),
        GanArchitecture.Dcgan => Dcgan(spec),
        GanArchitecture.ResNet => ResNet(spec),
        _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Architecture, "Unknown architecture."),
    };

    private static NetworkSize Mlp(NetworkSpec spec)
    {
        double pixels = Pixels(spec);
        double latent = spec.LatentDimension;
        double outputs = spec.DiscriminatorOutputs;
        const double g = MlpGenerator.HiddenWidth;
        const double d = MlpDiscriminator.HiddenWidth;

        double generator = Linear(latent, g) + Linear(g, g) + Linear(g, pixels);
        double discriminator = Linear(pixels, d) + Linear(d, d) + Linear(d, outputs);

        // G: fc1, relu1, fc2, relu2 (g each), fc3 and tanh (pixels each); D: fc1, lrelu1, fc2, lrelu2 (d each), fc3.
        double activations = (4 * g) + (2 * pixels) + (4 * d) + outputs;
        return new NetworkSize(generator + discriminator, generator, activations);
    }

    private static NetworkSize Dcgan(NetworkSpec spec)
    {
        var layout = DcganLayout.For(spec.Shape);
        double latent = spec.LatentDimension;
        double outputs = spec.DiscriminatorOutputs;
        double start = (double)layout.HiddenChannels(0) * layout.StartHeight * layout.StartWidth;

        // G: Linear latent → start map, BatchNorm1d, ReLU; then per level ConvTranspose2d (+ BatchNorm2d, ReLU), Tanh.
        double generator = Linear(latent, start) + (2 * start);
        double generatorActivations = 3 * start;

        // D mirrors G: per level Conv2d (+ BatchNorm2d from the second), LeakyReLU; then Linear → outputs.
        double discriminator = 0;
        double discriminatorActivations = 0;
        double channels = spec.Shape.Channels;
        for (int level = 0; level < layout.Depth; level++)
        {
            bool last = level == layout.Depth - 1;
            double generatorOut = last ? spec.Shape.Channels : layout.HiddenChannels(level + 1);
            double generatorMap = generatorOut * layout.HeightAt(level + 1) * layout.WidthAt(level + 1);
            generator += Convolution(layout.HiddenChannels(level), generatorOut) + (last ? 0 : 2 * generatorOut);
            generatorActivations += (last ? 2 : 3) * generatorMap;

            int n = level + 1;
            double discriminatorOut = layout.HiddenChannels(layout.Depth - n);
            double discriminatorMap = discriminatorOut * layout.HeightAt(layout.Depth - n) * layout.WidthAt(layout.Depth - n);
            bool batchNorm = spec.DiscriminatorBatchNorm && n > 1;
            discriminator += Convolution(channels, discriminatorOut) + (batchNorm ? 2 * discriminatorOut : 0);
            discriminatorActivations += (batchNorm ? 3 : 2) * discriminatorMap;
            channels = discriminatorOut;
        }

        discriminator += Linear(channels * layout.StartHeight * layout.StartWidth, outputs);
        discriminatorActivations += outputs;
        return new NetworkSize(generator + discriminator, generator, generatorActivations + discriminatorActivations);
    }

    private static NetworkSize ResNet(NetworkSpec spec)
    {
        var layout = ResNetLayout.For(spec.Shape);
        double imageChannels = spec.Shape.Channels;
        double start = (double)layout.Channels(0) * layout.StartHeight * layout.StartWidth;

        // G: Linear latent → start map; per block BN, ReLU (input map), nearest ×2, Conv3, BN, ReLU, Conv3 (output map),
        // shortcut Conv1 (input resolution) and ×2, and the sum; then BN, ReLU, Conv3 → C, Tanh.
        double generator = Linear(spec.LatentDimension, start);
        double generatorActivations = start;
        for (int level = 1; level <= layout.Depth; level++)
        {
            double inChannels = layout.Channels(level - 1), outChannels = layout.Channels(level);
            double inArea = (double)layout.HeightAt(level - 1) * layout.WidthAt(level - 1);
            double outArea = (double)layout.HeightAt(level) * layout.WidthAt(level);
            generator += (2 * inChannels) + Convolution(inChannels, outChannels, 9) + (2 * outChannels)
                         + Convolution(outChannels, outChannels, 9) + Convolution(inChannels, outChannels, 1);
            generatorActivations += (2 * inChannels * inArea) + (inChannels * outArea) + (5 * outChannels * outArea)
                                    + (outChannels * inArea) + (outChannels * outArea);
        }
        double last = layout.Channels(layout.Depth);
        double imageArea = (double)spec.Shape.Height * spec.Shape.Width;
        generator += (2 * last) + Convolution(last, imageChannels, 9);
        generatorActivations += (2 * last * imageArea) + (2 * imageChannels * imageArea);

        // D: per block (ReLU from the second), Conv3 in→hidden, ReLU, Conv3 hidden→out at the input resolution, pool; shortcut
        // pool, Conv1; the sum; then ReLU, the sum over the start map, Linear → outputs. Spectral normalization adds no parameters.
        double discriminator = 0;
        double discriminatorActivations = 0;
        double channels = imageChannels;
        for (int n = 1; n <= layout.Depth; n++)
        {
            double outChannels = layout.Channels(layout.Depth - n);
            double hidden = n == 1 ? outChannels : channels;
            double inArea = (double)layout.HeightAt(layout.Depth - n + 1) * layout.WidthAt(layout.Depth - n + 1);
            double outArea = inArea / 4;
            discriminator += Convolution(channels, hidden, 9) + Convolution(hidden, outChannels, 9) + Convolution(channels, outChannels, 1);
            discriminatorActivations += (n > 1 ? channels * inArea : 0) + (2 * hidden * inArea) + (outChannels * inArea) + (channels * outArea)
                                        + (3 * outChannels * outArea);
            channels = outChannels;
        }
        discriminator += Linear(channels, spec.DiscriminatorOutputs);
        discriminatorActivations += (channels * layout.StartHeight * layout.StartWidth) + channels + spec.DiscriminatorOutputs;
        return new NetworkSize(generator + discriminator, generator, generatorActivations + discriminatorActivations);
    }

    private static double Pixels(NetworkSpec spec) => (double)spec.Shape.Channels * spec.Shape.Height * spec.Shape.Width;

    private static double Linear(double inputs, double outputs) => (inputs * outputs) + outputs;

    private static double Convolution(double inputs, double outputs, double kernelArea = KernelArea) => (inputs * outputs * kernelArea) + outputs;
}
