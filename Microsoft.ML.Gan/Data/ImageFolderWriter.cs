using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Persistence;

namespace Microsoft.ML.Gan.Data;

/// <summary>
/// Writes the images of an image column as numbered files, <c>{prefix}_{index:D5}{extension}</c>, with encoding and
/// writing off the reading thread: while one chunk of images is encoded on every core and written
/// (<see cref="AtomicFileBatch"/>), the cursor produces the next, so a generator and the encoder run at once. A file's
/// name depends only on its row's index and its bytes only on its pixels, never on thread timing.
/// </summary>
internal sealed class ImageFolderWriter
{
    // One commit (parallel encode, one flush, renames) per chunk: large enough to amortise the file-system flush,
    // small enough that a stop or a kill loses little and memory stays at two chunks.
    private const int DefaultChunkImages = 1024;
    private const long MaxChunkBytes = 16L << 20;

    private readonly string _prefix;
    private readonly string _extension;
    private readonly int _maxChunkImages;

    /// <param name="directory">The folder (created when the first chunk is written).</param>
    /// <param name="filePrefix">The start of every file name.</param>
    /// <param name="extension">The file extension, which names the format: .png, .jpg, .jpeg or .webp.</param>
    /// <param name="maxChunkImages">The most images one commit writes (fewer when they exceed 16 MiB of pixels).</param>
    /// <exception cref="ArgumentException">The extension names no format written here.</exception>
    public ImageFolderWriter(string directory, string filePrefix, string extension, int maxChunkImages = DefaultChunkImages)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxChunkImages, 1);
        _maxChunkImages = maxChunkImages;
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(filePrefix);
        ImageFileWriter.CheckFormat("image" + extension);
        Directory = directory;
        _prefix = filePrefix;
        _extension = extension;
    }

    /// <summary>The folder written to.</summary>
    public string Directory { get; }

    /// <summary>The wildcard pattern of the names written here, such as <c>image_*.png</c>.</summary>
    public string FilePattern => _prefix + "_*" + _extension;

    /// <summary>The file of image <paramref name="index"/>.</summary>
    public string PathOf(long index) => Path.Combine(Directory, string.Create(CultureInfo.InvariantCulture, $"{_prefix}_{index:D5}{_extension}"));

    /// <summary>The index in a file name written here, or null for any other name.</summary>
    public long? IndexOf(string fileName)
    {
        if (!fileName.StartsWith(_prefix + "_", StringComparison.Ordinal) || !fileName.EndsWith(_extension, StringComparison.Ordinal))
        {
            return null;
        }
        ReadOnlySpan<char> digits = fileName.AsSpan(_prefix.Length + 1, fileName.Length - _prefix.Length - 1 - _extension.Length);
        return digits.Length >= 5 && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long index)
            && PathOf(index).EndsWith(fileName, StringComparison.Ordinal) ? index : null;
    }

    /// <summary>The bytes the file of <paramref name="image"/> would take (what <see cref="Write"/> encodes for it).</summary>
    public int EncodedLength(MLImage image)
    {
        var bgra = new byte[image.Width * image.Height * 4];
        ImagePixels.CopyToOpaqueBgra32(image, bgra);
        return ImageFileWriter.Encode(PathOf(0), image.Width, image.Height, bgra).Length;
    }

    /// <summary>
    /// Writes row r of <paramref name="imageColumnName"/> as the file of index <paramref name="firstIndex"/> + r,
    /// replacing a file of that name; stops early, after writing every image already read, when
    /// <paramref name="cancellation"/> is cancelled.
    /// </summary>
    /// <param name="images">The data holding the images; each image read is disposed once its pixels are copied.</param>
    /// <param name="imageColumnName">The image column (<see cref="MLImage"/>).</param>
    /// <param name="firstIndex">The index of row 0.</param>
    /// <param name="cancellation">Stops reading rows.</param>
    /// <param name="progress">Receives the number of files written so far after every chunk.</param>
    /// <returns>How many files were written: the rows, or fewer after a cancellation.</returns>
    /// <exception cref="ArgumentException">The column is missing or not an image column.</exception>
    /// <exception cref="IOException">A file could not be written; the files written whole before it are kept.</exception>
    public long Write(IDataView images, string imageColumnName, long firstIndex, CancellationToken cancellation = default, Action<long>? progress = null)
    {
        DataViewSchema.Column column = GanImages.CheckImageColumn(images.Schema, imageColumnName);
        System.IO.Directory.CreateDirectory(Directory);
        using DataViewRowCursor cursor = images.GetRowCursor(new[] { column });
        ValueGetter<MLImage> getter = cursor.GetGetter<MLImage>(column);
        var chunk = new List<PendingImage>();
        long chunkBytes = 0, read = 0, written = 0;
        Task<int> committing = Task.FromResult(0);
        try
        {
            MLImage? image = null;
            while (!cancellation.IsCancellationRequested && cursor.MoveNext())
            {
                getter(ref image!);
                if (image is null)
                {
                    throw new InvalidOperationException(FormattableString.Invariant($"Row {read} of column '{imageColumnName}' has no image."));
                }
                var bgra = new byte[image.Width * image.Height * 4];
                ImagePixels.CopyToOpaqueBgra32(image, bgra);
                chunk.Add(new PendingImage(firstIndex + read, image.Width, image.Height, bgra));
                image.Dispose();
                image = null;
                read++;
                chunkBytes += bgra.Length;
                if (chunk.Count >= _maxChunkImages || chunkBytes >= MaxChunkBytes)
                {
                    written += Finish(committing, progress, written);
                    List<PendingImage> full = chunk;
                    committing = Task.Run(() => Commit(full));
                    (chunk, chunkBytes) = (new List<PendingImage>(), 0);
                }
            }
        }
        catch
        {
            // Let the chunk in flight end (its files whole or deleted) before the error leaves; its own error, if any, is secondary.
            committing.ContinueWith(_ => { }, TaskScheduler.Default).Wait();
            throw;
        }
        written += Finish(committing, progress, written);
        if (chunk.Count > 0)
        {
            written += Finish(Task.FromResult(Commit(chunk)), progress, written);
        }
        return written;
    }

    // Waits for a commit and reports the new total.
    private static int Finish(Task<int> committing, Action<long>? progress, long writtenBefore)
    {
        int count = committing.GetAwaiter().GetResult();
        if (count > 0)
        {
            progress?.Invoke(writtenBefore + count);
        }
        return count;
    }

    private int Commit(List<PendingImage> chunk)
    {
        var paths = new string[chunk.Count];
        var encoded = new byte[chunk.Count][];
        Parallel.For(0, chunk.Count, i =>
        {
            PendingImage image = chunk[i];
            paths[i] = PathOf(image.Index);
            encoded[i] = ImageFileWriter.Encode(paths[i], image.Width, image.Height, image.Bgra);
        });
        AtomicFileBatch.WriteAll(paths, encoded);
        return chunk.Count;
    }

    private readonly record struct PendingImage(long Index, int Width, int Height, byte[] Bgra);
}
