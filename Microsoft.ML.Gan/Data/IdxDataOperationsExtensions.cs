using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Data;

namespace Microsoft.ML.Gan;

/// <summary>Loads image data sets stored in the IDX format of MNIST and Fashion-MNIST.</summary>
public static class IdxDataOperationsExtensions
{
    /// <summary>
    /// Loads an IDX images file (and optionally its labels file), such as MNIST's or Fashion-MNIST's
    /// <c>train-images-idx3-ubyte.gz</c> / <c>train-labels-idx1-ubyte.gz</c>. Gzip compression is detected from the
    /// file content, so compressed and plain files both work whatever their names.
    /// </summary>
    /// <param name="catalog">The data operations catalog (<c>mlContext.Data</c>).</param>
    /// <param name="imagesPath">The IDX images file (magic number 0x00000803).</param>
    /// <param name="labelsPath">The IDX labels file (magic number 0x00000801) with one label per image, or <see langword="null"/>.</param>
    /// <param name="labelNames">
    /// Optional names of the labels 0, 1, ... (for Fashion-MNIST "T-shirt/top", "Trouser", ...): they become the
    /// <c>Label</c> column's <c>KeyValues</c> and its number of values. Null names the labels "0", "1", ...
    /// </param>
    /// <returns>
    /// A data view with the column <c>Image</c> of type <c>Vector&lt;Single, 1, H, W&gt;</c> holding pixel / 255 in [0, 1]
    /// (planar, one channel), and, when <paramref name="labelsPath"/> is given, <c>Label</c>: a key of
    /// <c>UInt32</c> with as many values as classes (largest label + 1) whose <c>KeyValues</c> annotation holds the
    /// label values as text ("0", "1", ..., or <paramref name="labelNames"/>), ready for ML.NET's multiclass trainers and
    /// for <c>ConditionalGan</c>.
    /// The bytes are held in memory once; each row is converted when a cursor reads it.
    /// </returns>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="InvalidDataException">A file has the wrong magic number or is truncated, or the label count differs from the image count.</exception>
    /// <exception cref="ArgumentException"><paramref name="labelNames"/> is given without labels, or has fewer names than the labels file needs.</exception>
    public static IDataView LoadFromIdxFile(this DataOperationsCatalog catalog, string imagesPath, string? labelsPath = null,
        IReadOnlyList<string>? labelNames = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        IdxImages images = IdxReader.ReadImages(imagesPath);
        byte[]? labels = labelsPath is null ? null : IdxReader.ReadLabels(labelsPath);
        if (labels is not null && labels.Length != images.Count)
        {
            throw new InvalidDataException(FormattableString.Invariant(
                $"The labels file '{labelsPath}' holds {labels.Length} labels but the images file '{imagesPath}' holds {images.Count} images; they must match one to one."));
        }

        if (labelNames is not null && labels is null)
        {
            throw new ArgumentException("labelNames names the labels of a labels file; give labelsPath too.", nameof(labelNames));
        }
        if (labelNames is not null && labels!.Length > 0 && labels.Max() >= labelNames.Count)
        {
            throw new ArgumentException(FormattableString.Invariant(
                $"The labels file '{labelsPath}' holds the label {labels.Max()} but labelNames names only {labelNames.Count} labels (0 to {labelNames.Count - 1})."),
                nameof(labelNames));
        }

        return new IdxDataView(images, labels, labelNames);
    }
}
