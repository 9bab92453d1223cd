using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Networks;

/// <summary>
/// A square-kernel Conv2d with spectral normalization of its weight [out, in, k, k] viewed as a matrix [out, in·k·k]
/// (the usual approximation of Miyato et al. 2018, not the exact operator norm of the convolution).
/// </summary>
internal sealed class SpectralNormConv2d : SpectralNormLayer
{
    private readonly long[] stride;
    private readonly long[] padding;

    public SpectralNormConv2d(
        long inChannels, long outChannels, long kernelSize, long stride, long padding, torch.Generator initRandom, bool hasBias = true)
        : base(
            nameof(SpectralNormConv2d),
            new[] { outChannels, inChannels, kernelSize, kernelSize },
            hasBias ? outChannels : 0,
            initRandom)
    {
        this.stride = new[] { stride, stride };
        this.padding = new[] { padding, padding };
    }

    public override Tensor forward(Tensor input)
    {
        using var normalized = NormalizedWeight();
        return nn.functional.conv2d(input, normalized, Bias, strides: stride, padding: padding);
    }
}
