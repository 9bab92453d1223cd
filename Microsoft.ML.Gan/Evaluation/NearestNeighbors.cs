using System;
using Microsoft.ML.Gan.Torch;
using Microsoft.ML.Gan.Training;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Evaluation;

/// <summary>
/// Distance-based metrics over float64 feature rows, computed in chunks of query rows so that memory stays at
/// chunk × reference distances: the k-NN manifold precision and recall of Kynkäänniemi et al. (2019) and
/// nearest-neighbour distances for the memorisation figure.
/// </summary>
internal static class NearestNeighbors
{
    private const int ChunkRows = 1024;

    /// <summary>
    /// The share of <paramref name="queries"/> inside the manifold of <paramref name="reference"/>: the union of balls
    /// around each reference row with the distance to its <paramref name="k"/>-th nearest other reference row as radius.
    /// Precision is Coverage(generated, real); recall is Coverage(real, generated).
    /// </summary>
    public static double ManifoldCoverage(Tensor queries, Tensor reference, int k, Action? checkAlive = null)
    {
        if (reference.shape[0] <= k)
        {
            throw new InvalidOperationException($"The k-NN manifold with k = {k} needs more than {k} feature vectors; {reference.shape[0]} were given.");
        }

        using Tensor radii = KthNeighborDistances(reference, k, checkAlive);
        using Tensor referenceNorms = reference.square().sum(1);
        long inside = 0;
        ForEachChunk(queries, checkAlive, chunk =>
        {
            Tensor distances = Distances(chunk, reference, referenceNorms);
            inside += (distances <= radii.unsqueeze(0)).any(1).sum().item<long>();
        });
        return inside / (double)queries.shape[0];
    }

    /// <summary>For each row of <paramref name="points"/>, the distance to its <paramref name="k"/>-th nearest other row.</summary>
    public static Tensor KthNeighborDistances(Tensor points, int k, Action? checkAlive = null)
    {
        using Tensor norms = points.square().sum(1);
        var parts = new Tensor[(points.shape[0] + ChunkRows - 1) / ChunkRows];
        int index = 0;
        ForEachChunk(points, checkAlive, chunk =>
        {
            // The k + 1 smallest include the row itself (distance 0); a duplicate of it counts as a neighbour.
            Tensor smallest = Distances(chunk, points, norms).topk(k + 1, dim: 1, largest: false, sorted: true).values;
            parts[index++] = smallest.select(1, k).MoveToOuterDisposeScope();
        });
        try
        {
            return cat(parts, 0);
        }
        finally
        {
            foreach (Tensor part in parts)
            {
                part.Dispose();
            }
        }
    }

    /// <summary>The mean over <paramref name="queries"/> of the distance to the nearest row of <paramref name="reference"/>.</summary>
    public static double MeanNearestDistance(Tensor queries, Tensor reference, Action? checkAlive = null)
    {
        using Tensor referenceNorms = reference.square().sum(1);
        double sum = 0;
        ForEachChunk(queries, checkAlive, chunk =>
        {
            sum += Distances(chunk, reference, referenceNorms).min(1).values.sum().item<double>();
        });
        return sum / queries.shape[0];
    }

    // Euclidean distances [q, r] from ‖a‖² + ‖b‖² − 2 a·b (float64: the cancellation costs about 8 of 16 digits).
    private static Tensor Distances(Tensor queries, Tensor reference, Tensor referenceNorms)
    {
        Tensor squared = queries.square().sum(1, keepdim: true).Plus(referenceNorms.unsqueeze(0)) - queries.matmul(reference.t()).Times(2);
        return squared.AtLeast(0).sqrt();
    }

    private static void ForEachChunk(Tensor rows, Action? checkAlive, Action<Tensor> action)
    {
        long count = rows.shape[0];
        for (long start = 0; start < count; start += ChunkRows)
        {
            checkAlive?.Invoke();
            using var scope = NewDisposeScope();
            action(rows.narrow(0, start, Math.Min(ChunkRows, count - start)));
        }
    }
}
