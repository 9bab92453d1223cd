namespace Microsoft.ML.Gan;

/// <summary>Options of <see cref="GanCatalog.Evaluate"/>: columns, the optional training set, and metric settings.</summary>
public sealed class GanEvaluationOptions
{
    /// <summary>The image column of the generated images (<c>MLImage</c> or <c>Vector&lt;Single, C, H, W&gt;</c>); <c>Image</c> is what <see cref="GanTransformer.Generate(int, int?, double?, string, string)"/> writes unless told otherwise.</summary>
    public string GeneratedImageColumnName = DefaultColumnNames.Image;

    /// <summary>The image column of the real (held-out) images.</summary>
    public string RealImageColumnName = DefaultColumnNames.Image;

    /// <summary>
    /// The images the generator was trained on, for the memorisation figure; null leaves
    /// <see cref="GanMetrics.MemorizationRatio"/> null.
    /// </summary>
    public IDataView? Training;

    /// <summary>The image column of <see cref="Training"/>.</summary>
    public string TrainingImageColumnName = DefaultColumnNames.Image;

    /// <summary>k of the k-nearest-neighbour manifolds behind precision and recall (Kynkäänniemi et al. use 3).</summary>
    public int NearestNeighbors = 3;

    /// <summary>Rows per KID subset (capped by the smaller set).</summary>
    public int KernelDistanceSubsetSize = 1000;

    /// <summary>Number of KID subsets averaged.</summary>
    public int KernelDistanceSubsets = 100;

    /// <summary>Images per feature-extraction batch.</summary>
    public int BatchSize = 256;

    /// <summary>Seed of the KID subsets: the same seed and data give the same metrics.</summary>
    public int Seed;
}
