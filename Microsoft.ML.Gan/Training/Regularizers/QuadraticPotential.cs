using Microsoft.ML.Gan.Torch;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Training;

/// <summary>
/// GAN-QP's quadratic potential (Su 2018), the critic's term of <see cref="GanLoss.GanQp"/> beside Wasserstein's
/// score gap: mean over the batch of (D(x) − D(G(z)))² / mean over pixels of (x − G(z))², each real image paired with
/// one generated image, as in the official O-GAN code; weighted in D's loss only.
/// </summary>
internal sealed class QuadraticPotential : Regularizer
{
    private readonly double _weight;

    /// <param name="weight">The potential's weight (the O-GAN option <c>QuadraticPotentialWeight</c>).</param>
    public QuadraticPotential(double weight) => _weight = weight;

    public override string Id => "quadratic-potential";

    public override Tensor DiscriminatorTerm(DiscriminatorPass pass) =>
        Compute(pass.Real.Scores, pass.Fake.Scores, pass.Reals, pass.Fakes).Times(_weight);

    /// <summary>The unweighted potential for scores [N] and images [N, C, H, W]; no gradient reaches <paramref name="fake"/>.</summary>
    internal static Tensor Compute(Tensor realScores, Tensor fakeScores, Tensor real, Tensor fake)
    {
        using Tensor gap = realScores - fakeScores;
        using Tensor difference = real - fake.detach();
        using Tensor distance = difference.square().flatten(1).mean(new long[] { 1 });
        using Tensor ratio = gap.square() / distance.AtLeast(1e-8);
        return ratio.mean();
    }
}
