using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Networks;

/// <summary>A Linear layer (y = x·(W/σ)ᵀ + b) with spectral normalization. Weight shape [out, in].</summary>
internal sealed class SpectralNormLinear : SpectralNormLayer
{
    public SpectralNormLinear(long inFeatures, long outFeatures, torch.Generator initRandom, bool hasBias = true)
        : base(nameof(SpectralNormLinear), new[] { outFeatures, inFeatures }, hasBias ? outFeatures : 0, initRandom)
    {
    }

    public override Tensor forward(Tensor input)
    {
        using var normalized = NormalizedWeight();
        return nn.functional.linear(input, normalized, Bias);
    }
}
