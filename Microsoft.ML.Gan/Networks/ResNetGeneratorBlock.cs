using Microsoft.ML.Gan.Torch;
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
internal sealed class ResNetGeneratorBlock : nn.Module<Tensor, Tensor>
{
    // Field names = key prefixes of the saved weights ("residual.conv1.weight", "shortcut.conv.weight", ...).
    private readonly Sequential residual;
    private readonly Sequential shortcut;

    public ResNetGeneratorBlock(long inChannels, long outChannels)
        : base(nameof(ResNetGeneratorBlock))
    {
        residual = nn.Sequential(
            ("bn1", nn.BatchNorm2d(inChannels)),
            ("relu1", nn.ReLU()),
            ("upsample", Upsample()),                                             // [N, in, 2h, 2w]
            ("conv1", nn.Conv2d(inChannels, outChannels, 3, padding: 1)),         // [N, out, 2h, 2w]
            ("bn2", nn.BatchNorm2d(outChannels)),
            ("relu2", nn.ReLU()),
            ("conv2", nn.Conv2d(outChannels, outChannels, 3, padding: 1)));       // [N, out, 2h, 2w]
        shortcut = nn.Sequential(
            ("conv", nn.Conv2d(inChannels, outChannels, 1)),                      // [N, out, h, w]
            ("upsample", Upsample()));                                            // [N, out, 2h, 2w]

        // Explicit order (reflection's field order is not guaranteed): it fixes the order of initialisation draws,
        // of parameters() for the optimiser, and of the saved entries.
        register_module(nameof(residual), residual);
        register_module(nameof(shortcut), shortcut);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var main = residual.call(input);
        using var skip = shortcut.call(input);
        return main.Plus(skip);
    }

    private static Upsample Upsample() => nn.Upsample(scale_factor: new[] { 2.0, 2.0 }, mode: UpsampleMode.Nearest);
}
