using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Networks;

/// <summary>
/// An up-sampling residual block of <see cref="ResNetGenerator"/>: [N, in, h, w] → [N, out, 2h, 2w].
/// Residual: BatchNorm, ReLU, nearest ×2, Conv 3×3 in→out, BatchNorm, ReLU, Conv 3×3 out→out. Shortcut: Conv 1×1 in→out,
/// nearest ×2.
/// </summary>
/// <remarks>
/// SNGAN up-samples before the shortcut's 1×1 convolution; a per-pixel convolution commutes with nearest up-sampling,
/// so convolving first gives the same output for a quarter of the work.
/// </remarks>
internal sealed class ResNetGeneratorBlock : ResidualBlock
{
    public ResNetGeneratorBlock(long inChannels, long outChannels)
        : base(nameof(ResNetGeneratorBlock), Residual(inChannels, outChannels), Shortcut(inChannels, outChannels))
    {
    }

    private static Sequential Residual(long inChannels, long outChannels) => nn.Sequential(
        ("bn1", nn.BatchNorm2d(inChannels)),
        ("relu1", nn.ReLU()),
        ("upsample", Upsample()),                                             // [N, in, 2h, 2w]
        ("conv1", nn.Conv2d(inChannels, outChannels, 3, padding: 1)),         // [N, out, 2h, 2w]
        ("bn2", nn.BatchNorm2d(outChannels)),
        ("relu2", nn.ReLU()),
        ("conv2", nn.Conv2d(outChannels, outChannels, 3, padding: 1)));       // [N, out, 2h, 2w]

    private static Sequential Shortcut(long inChannels, long outChannels) => nn.Sequential(
        ("conv", nn.Conv2d(inChannels, outChannels, 1)),                      // [N, out, h, w]
        ("upsample", Upsample()));                                            // [N, out, 2h, 2w]

    private static Upsample Upsample() => nn.Upsample(scale_factor: new[] { 2.0, 2.0 }, mode: UpsampleMode.Nearest);
}
