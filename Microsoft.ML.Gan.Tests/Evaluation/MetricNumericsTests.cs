using System;
using System.Linq;
using Microsoft.ML.Gan.Evaluation;
using Microsoft.ML.Gan.Torch;
using NUnit.Framework;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Tests.Evaluation;

/// <summary>The metric formulas against closed forms and hand computations, in float64.</summary>
[TestFixture]
public class MetricNumericsTests
{
    private static Tensor Matrix(double[,] values) => tensor(values, dtype: ScalarType.Float64);

    private static Tensor Vector(params double[] values) => tensor(values, dtype: ScalarType.Float64);

    [Test]
    public void FrechetDistanceOfDiagonalGaussiansMatchesTheClosedForm()
    {
        double[] a = { 1, 4, 0.25 }, b = { 9, 1, 0.25 };
        using var scope = NewDisposeScope();
        double actual = FrechetDistance.FromMoments(Vector(0, 1, 2), diag(Vector(a)), Vector(1, 1, 0), diag(Vector(b)));
        double expected = 1 + 0 + 4 + a.Zip(b, (x, y) => x + y - (2 * Math.Sqrt(x * y))).Sum();
        Assert.That(actual, Is.EqualTo(expected).Within(1e-12));
    }

    [Test]
    public void FrechetDistanceOfNonCommutingCovariancesMatchesTheTwoByTwoClosedForm()
    {
        // For 2x2 PSD A, B: tr((AB)^½) = √(tr(AB) + 2√(det A det B)), because (√λ₁ + √λ₂)² = λ₁ + λ₂ + 2√(λ₁λ₂).
        double[,] a = { { 2, 1 }, { 1, 2 } }, b = { { 3, 0 }, { 0, 0.5 } };
        double traceProduct = (2 * 3) + (2 * 0.5);
        double expectedRoot = Math.Sqrt(traceProduct + (2 * Math.Sqrt(3 * 1.5)));
        using var scope = NewDisposeScope();
        Assert.That(Matrix(a).matmul(Matrix(b)).allclose(Matrix(b).matmul(Matrix(a))), Is.False, "the covariances must not commute");
        Assert.That(FrechetDistance.TraceOfSquareRootOfProduct(Matrix(a), Matrix(b)), Is.EqualTo(expectedRoot).Within(1e-12));
        double fid = FrechetDistance.FromMoments(Vector(0, 0), Matrix(a), Vector(1, 2), Matrix(b));
        Assert.That(fid, Is.EqualTo(5 + 4 + 3.5 - (2 * expectedRoot)).Within(1e-12));
    }

    [Test]
    public void FrechetDistanceIsExactForSingularAndIllConditionedCovariances()
    {
        using var scope = NewDisposeScope();
        // Rank 3 in 40 dimensions (fewer samples than dimensions look like this): identical Gaussians are at distance 0.
        using var random = new TorchSharp.torch.Generator(3);
        Tensor basis = randn(40, 3, dtype: ScalarType.Float64, generator: random);
        Tensor singular = basis.matmul(basis.t());
        Tensor mean = randn(40, dtype: ScalarType.Float64, generator: random);
        Assert.That(FrechetDistance.FromMoments(mean, singular, mean, singular), Is.EqualTo(0).Within(1e-9));
        Assert.That(FrechetDistance.FromMoments(mean, singular, mean + 0.5, singular), Is.EqualTo(40 * 0.25).Within(1e-9));

        // Eigenvalues from 1 to 1e-14 (condition number 1e14), against the commuting closed form.
        double[] a = { 1, 1e-7, 1e-14, 0 }, b = { 4, 1e-7, 1e-14, 0 };
        double expected = a.Zip(b, (x, y) => x + y - (2 * Math.Sqrt(x * y))).Sum();
        Tensor rotation = linalg.qr(randn(4, 4, dtype: ScalarType.Float64, generator: random)).Q;
        Tensor rotatedA = rotation.matmul(diag(Vector(a))).matmul(rotation.t());
        Tensor rotatedB = rotation.matmul(diag(Vector(b))).matmul(rotation.t());
        Assert.That(FrechetDistance.FromMoments(Vector(0, 0, 0, 0), rotatedA, Vector(0, 0, 0, 0), rotatedB), Is.EqualTo(expected).Within(1e-9));
    }

    [Test]
    public void SymmetricFormAgreesWithTheEigenvaluesOfTheNonSymmetricProduct()
    {
        using var scope = NewDisposeScope();
        using var random = new TorchSharp.torch.Generator(11);
        for (int trial = 0; trial < 5; trial++)
        {
            Tensor x = randn(12, 12, dtype: ScalarType.Float64, generator: random), y = randn(12, 12, dtype: ScalarType.Float64, generator: random);
            Tensor a = x.matmul(x.t()) + (0.1 * eye(12, dtype: ScalarType.Float64));
            Tensor b = y.matmul(y.t()) + (0.1 * eye(12, dtype: ScalarType.Float64));

            // The general eigensolver on A·B: real, non-negative eigenvalues up to rounding.
            Tensor eigenvalues = linalg.eigvals(a.matmul(b));
            double nonSymmetric = eigenvalues.real.clamp_min(0).sqrt().sum().item<double>();
            double symmetric = FrechetDistance.TraceOfSquareRootOfProduct(a, b);
            Assert.That(symmetric, Is.EqualTo(nonSymmetric).Within(1e-8 * nonSymmetric), $"trial {trial}");
        }
    }

    [Test]
    public void KernelDistanceIsNearZeroForOneDistributionAndLargeForAnother()
    {
        using var scope = NewDisposeScope();
        using var random = new TorchSharp.torch.Generator(5);
        Tensor a = randn(1000, 16, dtype: ScalarType.Float64, generator: random);
        Tensor b = randn(1000, 16, dtype: ScalarType.Float64, generator: random);
        Tensor shifted = b + 1;
        double same = KernelDistance.Compute(a, b, subsetSize: 500, subsets: 20, seed: 1);
        double different = KernelDistance.Compute(a, shifted, subsetSize: 500, subsets: 20, seed: 1);
        TestContext.Out.WriteLine($"KID same {same}, shifted {different}");
        Assert.That(Math.Abs(same), Is.LessThan(0.01));
        Assert.That(different, Is.GreaterThan(0.5));
    }

    [Test]
    public void UnbiasedMmdMatchesAHandComputation()
    {
        // d = 1, k(x, y) = (xy + 1)³. X = {0, 1}: k(0,1) = 1. Y = {1, 2}: k(1,2) = 27. Cross: k(0,1) = 1, k(0,2) = 1, k(1,1) = 8, k(1,2) = 27.
        using var scope = NewDisposeScope();
        double expected = (2 * 1 / 2.0) + (2 * 27 / 2.0) - (2 * (1 + 1 + 8 + 27) / 4.0);
        double actual = KernelDistance.UnbiasedMmdSquared(Vector(0, 1).view(2, 1), Vector(1, 2).view(2, 1));
        Assert.That(actual, Is.EqualTo(expected).Within(1e-12));
    }

    [Test]
    public void PrecisionAndRecallOfHandBuiltPointSets()
    {
        using var scope = NewDisposeScope();
        Tensor real = Vector(Enumerable.Range(0, 10).Select(i => (double)i).ToArray()).view(10, 1); // k = 1 radii: 1
        Tensor generated = Vector(0.1, 0.4, 50, 50.1).view(4, 1);                                    // k = 1 radii: 0.3, 0.3, 0.1, 0.1
        Assert.That(NearestNeighbors.ManifoldCoverage(generated, real, k: 1), Is.EqualTo(0.5), "precision: 0.1 and 0.4 lie in real balls");
        Assert.That(NearestNeighbors.ManifoldCoverage(real, generated, k: 1), Is.EqualTo(0.1), "recall: only 0 lies in a generated ball");
        Assert.That(NearestNeighbors.ManifoldCoverage(real, generated, k: 3), Is.EqualTo(1.0), "k = 3 radii reach 50: every real point is covered");
        Assert.That(NearestNeighbors.MeanNearestDistance(Vector(0.1, 9.5).view(2, 1), real), Is.EqualTo(0.3).Within(1e-12));
    }

    [Test]
    public void InceptionScoreIsOneForAConstantOutputAndKForConfidentBalancedPredictions()
    {
        using var scope = NewDisposeScope();
        Tensor constant = Vector(0.7, 0.2, 0.1).repeat(50).view(50, 3);
        Assert.That(ClassStatistics.InceptionScore(constant), Is.EqualTo(1).Within(1e-12));
        Tensor confident = eye(4, dtype: ScalarType.Float64).repeat(25, 1);
        Assert.That(ClassStatistics.InceptionScore(confident), Is.EqualTo(4).Within(1e-12));
        Tensor oneClass = eye(4, dtype: ScalarType.Float64).narrow(0, 0, 1).repeat(100, 1);
        Assert.That(ClassStatistics.InceptionScore(oneClass), Is.EqualTo(1).Within(1e-12));
    }

    [Test]
    public void ModeCoverageAndClassKlOfHandBuiltCounts()
    {
        long[] real = { 5, 5, 0, 10 }, generated = { 20, 0, 0, 0 };
        Assert.That(ClassStatistics.ModeCoverage(real, generated), Is.EqualTo(1 / 3.0).Within(1e-12));
        Assert.That(ClassStatistics.ClassDistributionKl(real, generated), Is.EqualTo(Math.Log(4)).Within(1e-12));
        Assert.That(ClassStatistics.ClassDistributionKl(real, real), Is.EqualTo(0));
        Assert.That(ClassStatistics.ClassDistributionKl(real, new long[] { 0, 0, 1, 0 }), Is.EqualTo(double.PositiveInfinity));
    }
}
