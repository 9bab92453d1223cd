using System;
using Microsoft.ML.Gan.Torch;
using Microsoft.ML.Gan.Training;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Evaluation;

/// <summary>
/// KID (Bińkowski et al. 2018): the unbiased estimate of the squared maximum mean discrepancy with the cubic
/// polynomial kernel k(x, y) = (x·y / d + 1)³, averaged over random subsets drawn without replacement, in float64.
/// </summary>
internal static class KernelDistance
{
    /// <summary>
    /// The mean over <paramref name="subsets"/> subsets of min(<paramref name="subsetSize"/>, |a|, |b|) rows of each of
    /// <paramref name="a"/> and <paramref name="b"/> (float64 [N, D]) of MMD²ᵤ; the subsets are drawn with <paramref name="seed"/>.
    /// </summary>
    public static double Compute(Tensor a, Tensor b, int subsetSize, int subsets, int seed)
    {
        int size = (int)Math.Min(subsetSize, Math.Min(a.shape[0], b.shape[0]));
        if (size < 2)
        {
            throw new InvalidOperationException($"KID needs at least 2 feature vectors in each set; {Math.Min(a.shape[0], b.shape[0])} were given.");
        }

        var random = new Random(seed);
        double total = 0;
        for (int s = 0; s < subsets; s++)
        {
            using var scope = NewDisposeScope();
            Tensor x = a.index_select(0, Subset(random, a.shape[0], size));
            Tensor y = b.index_select(0, Subset(random, b.shape[0], size));
            total += UnbiasedMmdSquared(x, y);
        }

        return total / subsets;
    }

    /// <summary>MMD²ᵤ between two float64 sets of m and n rows: within-set sums exclude the diagonal.</summary>
    public static double UnbiasedMmdSquared(Tensor x, Tensor y)
    {
        using var scope = NewDisposeScope();
        double m = x.shape[0], n = y.shape[0];
        Tensor kxx = Kernel(x, x), kyy = Kernel(y, y), kxy = Kernel(x, y);
        double xx = (kxx.sum().item<double>() - kxx.diagonal().sum().item<double>()) / (m * (m - 1));
        double yy = (kyy.sum().item<double>() - kyy.diagonal().sum().item<double>()) / (n * (n - 1));
        double xy = kxy.sum().item<double>() / (m * n);
        return xx + yy - (2 * xy);
    }

    private static Tensor Kernel(Tensor x, Tensor y) => x.matmul(y.t()).DividedBy(x.shape[1]).Plus(1).Power(3);

    // A partial Fisher–Yates shuffle: the first `size` of a random permutation of 0..count−1.
    private static Tensor Subset(Random random, long count, int size)
    {
        var order = new long[count];
        for (long i = 0; i < count; i++)
        {
            order[i] = i;
        }

        for (int i = 0; i < size; i++)
        {
            long j = i + random.NextInt64(count - i);
            (order[i], order[j]) = (order[j], order[i]);
        }

        return tensor(order.AsSpan(0, size).ToArray());
    }
}
