using System.Collections.Generic;
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
internal sealed class ResNetDiscriminatorBlock : ResidualBlock
{
    public ResNetDiscriminatorBlock(long inChannels, long outChannels, bool readsImage, bool spectralNormalization, torch.Generator initRandom)
        : base(nameof(ResNetDiscriminatorBlock),
            Residual(inChannels, outChannels, readsImage, spectralNormalization, initRandom),
            Shortcut(inChannels, outChannels, spectralNormalization, initRandom))
    {
    }

    // Built before the shortcut: the order of the spectral norms' initial draws from initRandom.
    private static Sequential Residual(long inChannels, long outChannels, bool readsImage, bool spectralNormalization, torch.Generator initRandom)
    {
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        if (!readsImage)
        {
            layers.Add(("relu1", nn.ReLU()));
        }
        long hiddenChannels = readsImage ? outChannels : inChannels;              // SNGAN's default width inside a block
        layers.Add(("conv1", Convolution(inChannels, hiddenChannels, 3, spectralNormalization, initRandom)));  // [N, hidden, h, w]
        layers.Add(("relu2", nn.ReLU()));
        layers.Add(("conv2", Convolution(hiddenChannels, outChannels, 3, spectralNormalization, initRandom))); // [N, out, h, w]
        layers.Add(("pool", nn.AvgPool2d(2)));                                   // [N, out, h/2, w/2]
        return nn.Sequential(layers);
    }

    private static Sequential Shortcut(long inChannels, long outChannels, bool spectralNormalization, torch.Generator initRandom) => nn.Sequential(
        ("pool", nn.AvgPool2d(2)),                                                // [N, in, h/2, w/2]
        ("conv", Convolution(inChannels, outChannels, 1, spectralNormalization, initRandom)));  // [N, out, h/2, w/2]

    private static nn.Module<Tensor, Tensor> Convolution(long input, long output, long kernel, bool spectralNormalization, torch.Generator initRandom) =>
        spectralNormalization
            ? new SpectralNormConv2d(input, output, kernel, 1, kernel / 2, initRandom)
            : nn.Conv2d(input, output, kernel, 1, kernel / 2);
}
