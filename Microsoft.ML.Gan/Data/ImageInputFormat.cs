namespace Microsoft.ML.Gan.Data;

/// <summary>How a model reads its image column: recorded at training time and applied again after loading.</summary>
/// <param name="ColumnName">The image column's name.</param>
/// <param name="Grayscale">For an MLImage column: read one luminance channel.</param>
/// <param name="Shape">The image shape the networks were built for.</param>
/// <param name="InputScale">The largest value of a float pixel column (1 or 255); ignored for MLImage columns.</param>
internal sealed record ImageInputFormat(string ColumnName, bool Grayscale, ImageShape Shape, float InputScale)
{
    /// <summary>
    /// Whether an MLImage column is read as one luminance channel: when asked to, and always for a one-channel model,
    /// so that a model trained on a grayscale float column (IDX files) also reads images such as <c>Generate</c>'s.
    /// </summary>
    public bool ReadsLuminance => Grayscale || Shape.Channels == 1;
}
