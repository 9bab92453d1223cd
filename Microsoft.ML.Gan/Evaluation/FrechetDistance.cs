using System;
using Microsoft.ML.Gan.Torch;
using Microsoft.ML.Gan.Training;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Evaluation;

/// <summary>
/// The Fréchet distance between Gaussians fitted to two feature sets (FID when the features are Inception's):
/// ‖μ₁ − μ₂‖² + tr(Σ₁) + tr(Σ₂) − 2 tr((Σ₁^½ Σ₂ Σ₁^½)^½), in float64.
/// </summary>
/// <remarks>
/// tr((Σ₁Σ₂)^½) is computed in the symmetric form above because Σ₁^½ Σ₂ Σ₁^½ is symmetric positive semi-definite, so a
/// symmetric eigendecomposition gives its square root exactly, even for singular or ill-conditioned covariances (fewer
/// samples than dimensions, dead features). The non-symmetric product Σ₁Σ₂ has the same eigenvalues but a general
/// eigensolver returns them with spurious imaginary parts and negative values when Σ is near singular. Eigenvalues
/// within rounding of zero (below D · ε · λ_max, the usual numerical-rank tolerance) are set to 0: their square roots
/// would otherwise add √ε-sized noise per dimension.
/// </remarks>
internal static class FrechetDistance
{
    /// <summary>The distance between the Gaussians of <paramref name="a"/> and <paramref name="b"/> (float64 [N, D], N ≥ 2).</summary>
    public static double Compute(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        (Tensor meanA, Tensor covarianceA) = Moments(a);
        (Tensor meanB, Tensor covarianceB) = Moments(b);
        return FromMoments(meanA, covarianceA, meanB, covarianceB);
    }

    /// <summary>The distance between N(<paramref name="meanA"/>, <paramref name="covarianceA"/>) and N(<paramref name="meanB"/>, <paramref name="covarianceB"/>).</summary>
    public static double FromMoments(Tensor meanA, Tensor covarianceA, Tensor meanB, Tensor covarianceB)
    {
        using var scope = NewDisposeScope();
        double meanTerm = (meanA - meanB).square().sum().item<double>();
        double traces = covarianceA.trace().item<double>() + covarianceB.trace().item<double>();
        double distance = meanTerm + traces - (2 * TraceOfSquareRootOfProduct(covarianceA, covarianceB));

        // Rounding can leave a tiny negative value for identical distributions.
        return Math.Max(distance, 0);
    }

    /// <summary>tr((A B)^½) for symmetric positive semi-definite A and B, as tr((A^½ B A^½)^½).</summary>
    public static double TraceOfSquareRootOfProduct(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        Tensor rootA = SymmetricSquareRoot(a);
        Tensor product = rootA.matmul(b).matmul(rootA);
        Tensor eigenvalues = linalg.eigvalsh(Symmetrize(product));
        return WithoutRoundingNoise(eigenvalues).sqrt().sum().item<double>();
    }

    /// <summary>The symmetric positive semi-definite square root of a symmetric matrix: Q diag(√max(λ, 0)) Qᵀ.</summary>
    public static Tensor SymmetricSquareRoot(Tensor matrix)
    {
        using var scope = NewDisposeScope();
        (Tensor eigenvalues, Tensor eigenvectors) = linalg.eigh(Symmetrize(matrix));
        Tensor root = (eigenvectors * WithoutRoundingNoise(eigenvalues).sqrt().unsqueeze(0)).matmul(eigenvectors.t());
        return root.MoveToOuterDisposeScope();
    }

    /// <summary>Mean [D] and unbiased covariance [D, D] of float64 rows [N, D].</summary>
    public static (Tensor Mean, Tensor Covariance) Moments(Tensor rows)
    {
        long n = rows.shape[0];
        if (n < 2)
        {
            throw new InvalidOperationException($"A covariance needs at least 2 feature vectors; {n} were given.");
        }

        Tensor mean = rows.mean(new long[] { 0 });
        Tensor centered = rows - mean;
        Tensor covariance = centered.t().matmul(centered).DividedBy(n - 1);
        return (mean, covariance);
    }

    private static Tensor WithoutRoundingNoise(Tensor eigenvalues)
    {
        double largest = eigenvalues.abs().max().item<double>();
        double tolerance = eigenvalues.shape[0] * (Math.BitIncrement(1.0) - 1.0) * largest;
        return eigenvalues.where(eigenvalues.GreaterThan(tolerance), zeros_like(eigenvalues));
    }

    private static Tensor Symmetrize(Tensor matrix) => matrix.Plus(matrix.t()).Times(0.5);
}
