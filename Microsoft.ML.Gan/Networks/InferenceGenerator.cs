using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Networks;

/// <summary>
/// The network that draws images for a trained generator: a copy with batch norms folded where the architecture
/// allows it (DCGAN, plain or conditional), otherwise none, and the trained network itself is used.
/// </summary>
internal static class InferenceGenerator
{
    /// <summary>A faster copy of <paramref name="generator"/> (in eval mode) that draws the same images, or null when there is none.</summary>
    public static nn.Module? FoldedCopyOrNull(nn.Module generator) => generator switch
    {
        DcganGenerator dcgan => dcgan.FoldBatchNorm(),
        ConditionalGenerator { Generator: DcganGenerator dcgan } conditional => new ConditionalGenerator(dcgan.FoldBatchNorm(), conditional.Classes),
        _ => null,
    };
}
