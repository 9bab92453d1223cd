namespace Microsoft.ML.Gan;

/// <summary>
/// The column names the library reads and writes when not told otherwise. Every default column name is defined here and
/// nowhere else, so the trainers, the generated views, the evaluator and the tool cannot drift apart.
/// </summary>
internal static class DefaultColumnNames
{
    /// <summary>Training images, images <c>Generate</c> and the generator write, and images the evaluator reads.</summary>
    public const string Image = "Image";

    /// <summary>Latent vectors: what <c>Generate</c> writes, the generator reads and the O-GAN encoder adds.</summary>
    public const string Latent = "Latent";

    /// <summary>Class labels of a conditional GAN or an evaluation classifier.</summary>
    public const string Label = "Label";

    /// <summary>The discriminator's score that <c>Transform</c> adds.</summary>
    public const string Score = "Score";

    /// <summary>The discriminator features a <c>DiscriminatorFeaturesTransformer</c> adds.</summary>
    public const string Features = "Features";

    /// <summary>The O-GAN reconstruction G(N(E(x))).</summary>
    public const string Reconstruction = "Reconstruction";

    /// <summary>The mixing weight α of an O-GAN interpolation row: 0 at the first image, 1 at the last.</summary>
    public const string Alpha = "Alpha";
}
