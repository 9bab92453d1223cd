using System;
using System.Collections.Generic;

namespace Microsoft.ML.Gan.Features;

/// <summary>
/// Per-feature mean and standard deviation learned at Fit: a feature f becomes (f − mean) / std, so linear trainers
/// (SDCA, L-BFGS) see inputs of one scale. A feature constant over the data (std below 1e-6) becomes 0.
/// </summary>
internal sealed class FeatureStandardization
{
    public FeatureStandardization(float[] means, float[] standardDeviations)
    {
        if (means.Length != standardDeviations.Length)
        {
            throw new ArgumentException($"{means.Length} means and {standardDeviations.Length} standard deviations were given; each feature needs one of each.");
        }
        _means = means;
        _deviations = standardDeviations;
        _inverseDeviations = Array.ConvertAll(standardDeviations, deviation => deviation > MinimumDeviation ? 1f / deviation : 0f);
    }

    /// <summary>Below this a feature is taken as constant: float rounding, not signal.</summary>
    private const float MinimumDeviation = 1e-6f;

    private readonly float[] _means;
    private readonly float[] _deviations;
    private readonly float[] _inverseDeviations;

    public IReadOnlyList<float> Means => _means;

    public IReadOnlyList<float> StandardDeviations => _deviations;

    public int Count => _inverseDeviations.Length;

    /// <summary>Standardises <paramref name="rows"/> rows of <see cref="Count"/> features in place.</summary>
    public void Apply(Span<float> features, int rows)
    {
        for (int row = 0; row < rows; row++)
        {
            Span<float> values = features.Slice(row * Count, Count);
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = (values[i] - _means[i]) * _inverseDeviations[i];
            }
        }
    }

    /// <summary>Accumulates the mean and variance of each feature over batches (Chan et al.'s pairwise update, in double precision).</summary>
    public sealed class Accumulator
    {
        private readonly double[] _mean;
        private readonly double[] _squares;
        private long _count;

        public Accumulator(int features)
        {
            _mean = new double[features];
            _squares = new double[features];
        }

        public void Add(ReadOnlySpan<float> features, int rows)
        {
            if (rows == 0)
            {
                return;
            }
            int width = _mean.Length;
            var batchMean = new double[width];
            for (int row = 0; row < rows; row++)
            {
                ReadOnlySpan<float> values = features.Slice(row * width, width);
                for (int i = 0; i < width; i++)
                {
                    batchMean[i] += values[i];
                }
            }
            for (int i = 0; i < width; i++)
            {
                batchMean[i] /= rows;
            }
            var batchSquares = new double[width];
            for (int row = 0; row < rows; row++)
            {
                ReadOnlySpan<float> values = features.Slice(row * width, width);
                for (int i = 0; i < width; i++)
                {
                    double deviation = values[i] - batchMean[i];
                    batchSquares[i] += deviation * deviation;
                }
            }
            long total = _count + rows;
            for (int i = 0; i < width; i++)
            {
                double delta = batchMean[i] - _mean[i];
                _mean[i] += delta * rows / total;
                _squares[i] += batchSquares[i] + (delta * delta * _count * rows / total);
            }
            _count = total;
        }

        /// <summary>The population mean and standard deviation of everything added.</summary>
        public FeatureStandardization ToStandardization()
        {
            if (_count == 0)
            {
                throw new InvalidOperationException("No rows were added: standardisation needs at least one image.");
            }
            var means = new float[_mean.Length];
            var deviations = new float[_mean.Length];
            for (int i = 0; i < means.Length; i++)
            {
                means[i] = (float)_mean[i];
                deviations[i] = (float)Math.Sqrt(_squares[i] / _count);
            }
            return new FeatureStandardization(means, deviations);
        }
    }
}
