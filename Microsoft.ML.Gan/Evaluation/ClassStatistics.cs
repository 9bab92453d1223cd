using System;
using Microsoft.ML.Gan.Torch;
using Microsoft.ML.Gan.Training;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Evaluation;

/// <summary>Metrics over a classifier's probabilities (float64 [N, K]): Inception Score, mode coverage, class-frequency KL.</summary>
internal static class ClassStatistics
{
    /// <summary>
    /// exp(E_x KL(p(y|x) ‖ p(y))) with p(y) the mean of p(y|x) over the set (one split): 1 when every image gets the
    /// same prediction, K when the predictions are confident and spread evenly over K classes. 0 · log 0 counts as 0.
    /// </summary>
    public static double InceptionScore(Tensor probabilities)
    {
        using var scope = NewDisposeScope();
        Tensor marginal = probabilities.mean(new long[] { 0 }, keepdim: true);
        Tensor logRatio = probabilities.AtLeast(1e-300).log() - marginal.AtLeast(1e-300).log();
        double meanKl = (probabilities * logRatio).sum(1).mean().item<double>();
        return Math.Exp(meanKl);
    }

    /// <summary>How many images are predicted (arg max) as each of the K classes.</summary>
    public static long[] PredictedClassCounts(Tensor probabilities)
    {
        using var scope = NewDisposeScope();
        int classes = (int)probabilities.shape[1];
        Tensor counts = probabilities.argmax(1).bincount(null, classes);
        return counts.data<long>().ToArray();
    }

    /// <summary>The share of the classes predicted for at least one real image that are predicted for at least one generated image.</summary>
    public static double ModeCoverage(long[] realCounts, long[] generatedCounts)
    {
        int realClasses = 0, covered = 0;
        for (int c = 0; c < realCounts.Length; c++)
        {
            if (realCounts[c] > 0)
            {
                realClasses++;
                covered += generatedCounts[c] > 0 ? 1 : 0;
            }
        }

        return realClasses == 0 ? 0 : covered / (double)realClasses;
    }

    /// <summary>
    /// KL(q_gen ‖ q_real) in nats between the predicted-class frequencies: 0 when they match, log K for a generator
    /// whose images all fall in one class of a balanced real set; +∞ when generated images fall in a class no real image does.
    /// </summary>
    public static double ClassDistributionKl(long[] realCounts, long[] generatedCounts)
    {
        double realTotal = 0, generatedTotal = 0;
        for (int c = 0; c < realCounts.Length; c++)
        {
            realTotal += realCounts[c];
            generatedTotal += generatedCounts[c];
        }

        double kl = 0;
        for (int c = 0; c < realCounts.Length; c++)
        {
            if (generatedCounts[c] == 0)
            {
                continue;
            }

            double q = generatedCounts[c] / generatedTotal;
            double p = realCounts[c] / realTotal;
            kl += p == 0 ? double.PositiveInfinity : q * Math.Log(q / p);
        }

        return kl;
    }
}
