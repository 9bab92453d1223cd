using System.Collections.Generic;
using Microsoft.ML.Gan.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Networks;

/// <summary>
/// A down-sampling residual block of <see cref="ResNetDiscriminator"/>: [N, in, h, w] → [N, out, h/2, w/2].
/// Residual: ReLU, Conv 3×3 in→in, ReLU, Conv 3×3 in→out, average pool 2×2. Shortcut: average pool 2×2, Conv 1×1 in→out.
/// The first block reads the image and is SNGAN's "optimized" block: no ReLU before its first convolution, which maps
/// the image's channels to out (its second is out→out).
/// </summary>
/// <remarks>
/// SNGAN's later blocks convolve the shortcut before pooling; a per-pixel convolution commutes with average pooling, so
/// pooling first gives the same output for a quarter of the work. Every convolution is spectrally normalised when asked.
/// </remarks>
internal sealed class ResNetDiscriminatorBlock : nn.Module<Tensor, Tensor>
{
    // Field names = key prefixes of the saved weights ("residual.conv1.weight", "shortcut.conv.u", ...).
    private readonly Sequential residual;
    private readonly Sequential shortcut;

    public ResNetDiscriminatorBlock(long inChannels, long outChannels, bool readsImage, bool spectralNormalization, torch.Generator initRandom)
        : base(nameof(ResNetDiscriminatorBlock))
    {
        nn.Module<Tensor, Tensor> Convolution(long input, long output, long kernel) => spectralNormalization
            ? new SpectralNormConv2d(input, output, kernel, 1, kernel / 2, initRandom)
            : nn.Conv2d(input, output, kernel, 1, kernel / 2);

        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        if (!readsImage)
        {
            layers.Add(("relu1", nn.ReLU()));
        }
        long hiddenChannels = readsImage ? outChannels : inChannels;              // SNGAN's default width inside a block
        layers.Add(("conv1", Convolution(inChannels, hiddenChannels, 3)));       // [N, hidden, h, w]
        layers.Add(("relu2", nn.ReLU()));
        layers.Add(("conv2", Convolution(hiddenChannels, outChannels, 3)));      // [N, out, h, w]
        layers.Add(("pool", nn.AvgPool2d(2)));                                   // [N, out, h/2, w/2]
        residual = nn.Sequential(layers);
        shortcut = nn.Sequential(
            ("pool", nn.AvgPool2d(2)),                                            // [N, in, h/2, w/2]
            ("conv", Convolution(inChannels, outChannels, 1)));                   // [N, out, h/2, w/2]

        // Explicit order (reflection's field order is not guaranteed), as in the networks.
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
}
