using Microsoft.ML.Gan.Torch;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Training;

/// <summary>
/// O-GAN's reconstruction measure and code normalisation, over the latent components of each row (Su 2019):
/// N(v) = (v − avg(v)) / std(v) and ρ(z, ẑ) = cos(N(z), N(ẑ)), the Pearson correlation of z's and ẑ's components.
/// </summary>
/// <remarks>
/// ρ ignores the mean and scale of ẑ, which leaves those degrees of freedom of the encoder to the critic; a squared error
/// ‖z − E(G(z))‖² would claim all of them, and training then fails (seed 004).
/// </remarks>
internal static class LatentCorrelation
{
    // Keeps a constant code (zero spread) finite: its correlation is then 0 and its normalised code 0.
    private const double Epsilon = 1e-8;

    /// <summary>ρ per row for [N, d] tensors: a differentiable [N] tensor in [−1, 1].</summary>
    public static Tensor Pearson(Tensor z, Tensor zHat)
    {
        using Tensor zCentred = Centre(z);
        using Tensor hCentred = Centre(zHat);
        using Tensor products = zCentred * hCentred;
        using Tensor covariance = products.sum(1);
        using Tensor zNorm = zCentred.norm(1);
        using Tensor hNorm = hCentred.norm(1);
        using Tensor norms = zNorm * hNorm;
        using Tensor denominator = norms.AtLeast(Epsilon);
        return covariance / denominator;
    }

    /// <summary>N(v) per row of a [N, d] tensor: mean 0 and (population) standard deviation 1 over the d components.</summary>
    public static Tensor Normalize(Tensor codes)
    {
        using Tensor centred = Centre(codes);
        using Tensor variance = centred.square().mean(new long[] { 1 }, keepdim: true);
        using Tensor root = variance.sqrt();
        using Tensor std = root.AtLeast(Epsilon);
        return centred / std;
    }

    private static Tensor Centre(Tensor values)
    {
        using Tensor mean = values.mean(new long[] { 1 }, keepdim: true);
        return values - mean;
    }
}
