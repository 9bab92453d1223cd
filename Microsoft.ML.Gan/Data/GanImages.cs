using System;
using System.Collections.Generic;
using System.IO;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Data;
using Microsoft.ML.Transforms.Image;

namespace Microsoft.ML.Gan;

/// <summary>Saves images (for example the images a GAN generated) as PNG files or as one grid image.</summary>
/// <remarks>
/// Saved images are opaque: alpha is written as 255 whatever the source holds (images made by ML.NET's ConvertToImage
/// have alpha 0); an image whose pixels are all gray, as a 1-channel model draws them, is written as an 8-bit grayscale
/// file. The file format follows the extension of the path (.png, .jpg, .jpeg or .webp). Every file is written
/// to a hidden temporary name in its folder and then renamed, so a kill or a full disk never leaves a partial image
/// under the final name, and a failed write throws an <see cref="IOException"/> naming the file.
/// </remarks>
public static class GanImages
{
    /// <summary>The colour of the padding between the images of a grid (dark gray, 64 of 255).</summary>
    private const byte PaddingGray = 64;

    /// <summary>
    /// Saves <paramref name="images"/> as one grid image, row by row, <paramref name="columns"/> images per row.
    /// With n images of w × h pixels, c = min(columns, n) and r = ⌈n / c⌉, the grid is
    /// c × w + (c + 1) × padding pixels wide and r × h + (r + 1) × padding high, padding in dark gray; image i has its
    /// top-left corner at (padding + (i mod c) × (w + padding), padding + ⌊i / c⌋ × (h + padding)).
    /// </summary>
    /// <param name="images">The images, all of the same size. They are not disposed.</param>
    /// <param name="path">The file to write (its folder is created), e.g. <c>samples.png</c>.</param>
    /// <param name="columns">Images per grid row.</param>
    /// <param name="padding">Pixels between images and around the grid.</param>
    /// <exception cref="ArgumentException">No images, images of different sizes, or an invalid argument.</exception>
    /// <exception cref="IOException">A file could not be written; a file that was there before is unchanged.</exception>
    public static void SaveGrid(IEnumerable<MLImage> images, string path, int columns = 8, int padding = 2)
    {
        ArgumentNullException.ThrowIfNull(images);
        var copies = new List<byte[]>();
        int width = 0;
        int height = 0;
        foreach (MLImage image in images)
        {
            if (image is null)
            {
                throw new ArgumentException(FormattableString.Invariant($"Image {copies.Count} is null."), nameof(images));
            }

            if (copies.Count == 0)
            {
                (width, height) = (image.Width, image.Height);
            }

            copies.Add(CopyPixels(image, copies.Count, width, height, nameof(images)));
        }

        WriteGrid(copies, width, height, path, columns, padding);
    }

    /// <summary>
    /// Saves at most <paramref name="maxImages"/> images of an image column as one grid image; see
    /// <see cref="SaveGrid(IEnumerable{MLImage}, string, int, int)"/> for the layout (padding 2).
    /// </summary>
    /// <param name="images">The data holding the images.</param>
    /// <param name="path">The file to write (its folder is created), e.g. <c>samples.png</c>.</param>
    /// <param name="columns">Images per grid row.</param>
    /// <param name="imageColumnName">The image column (<see cref="MLImage"/>), all images of the same size.</param>
    /// <param name="maxImages">The number of rows to take at most, from the first.</param>
    /// <exception cref="ArgumentException">The column is missing or not an image column, there are no rows, or images differ in size.</exception>
    /// <exception cref="IOException">A file could not be written; a file that was there before is unchanged.</exception>
    public static void SaveGrid(IDataView images, string path, int columns = 8, string imageColumnName = DefaultColumnNames.Image, int maxImages = 64)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (maxImages <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxImages), maxImages, "The number of images must be positive.");
        }

        var copies = new List<byte[]>();
        int width = 0;
        int height = 0;
        ForEachImage(images, imageColumnName, maxImages, (image, index) =>
        {
            if (index == 0)
            {
                (width, height) = (image.Width, image.Height);
            }

            copies.Add(CopyPixels(image, index, width, height, nameof(images)));
        });
        WriteGrid(copies, width, height, path, columns, padding: 2);
    }

    /// <summary>
    /// Saves every image of an image column as a PNG file <c>{filePrefix}_00000.png</c>, <c>{filePrefix}_00001.png</c>, ...
    /// in <paramref name="directory"/> (created if needed; existing files of the same names are replaced).
    /// Images are encoded on every core while the next ones are read, and written in batches that are flushed to disk
    /// once each; the call's memory does not grow with the number of images.
    /// </summary>
    /// <param name="images">The data holding the images.</param>
    /// <param name="directory">The folder to write into.</param>
    /// <param name="imageColumnName">The image column (<see cref="MLImage"/>).</param>
    /// <param name="filePrefix">The start of every file name.</param>
    /// <param name="firstIndex">The number in the first file's name, such as the start index of a generation shard.</param>
    /// <returns>The paths of the files written, in row order (computed when read, not stored).</returns>
    /// <exception cref="ArgumentException">The column is missing or not an image column.</exception>
    /// <exception cref="IOException">A file could not be written; a file that was there before is unchanged.</exception>
    public static IReadOnlyList<string> SavePngs(IDataView images, string directory, string imageColumnName = DefaultColumnNames.Image, string filePrefix = "image", long firstIndex = 0)
    {
        ArgumentNullException.ThrowIfNull(images);
        var writer = new ImageFolderWriter(directory, filePrefix, ".png");
        long written = writer.Write(images, imageColumnName, firstIndex);
        return new NumberedFilePaths(writer, firstIndex, written);
    }

    /// <summary>Calls <paramref name="action"/> on each image while the cursor is on its row (images are disposed on MoveNext).</summary>
    private static void ForEachImage(IDataView data, string columnName, int maxImages, Action<MLImage, int> action)
    {
        DataViewSchema.Column column = CheckImageColumn(data.Schema, columnName);
        using DataViewRowCursor cursor = data.GetRowCursor(new[] { column });
        ValueGetter<MLImage> getter = cursor.GetGetter<MLImage>(column);
        MLImage? image = null;
        int index = 0;
        while (index < maxImages && cursor.MoveNext())
        {
            getter(ref image!);
            if (image is null)
            {
                throw new InvalidOperationException(FormattableString.Invariant(
                    $"Row {index} of column '{columnName}' has no image."));
            }

            action(image, index);
            index++;
        }
    }

    /// <summary>The column <paramref name="columnName"/> of <paramref name="schema"/>; throws an <see cref="ArgumentException"/> naming the columns there unless it is an image column.</summary>
    internal static DataViewSchema.Column CheckImageColumn(DataViewSchema schema, string columnName)
    {
        ArgumentException.ThrowIfNullOrEmpty(columnName);
        DataViewSchema.Column? column = schema.GetColumnOrNull(columnName);
        if (column is null)
        {
            var names = new List<string>();
            foreach (DataViewSchema.Column c in schema)
            {
                if (!c.IsHidden)
                {
                    names.Add($"'{c.Name}' ({c.Type})");
                }
            }

            throw new ArgumentException(
                $"Column '{columnName}' was not found in the data. Available columns: {string.Join(", ", names)}.", nameof(columnName));
        }

        if (column.Value.Type is not ImageDataViewType)
        {
            throw new ArgumentException(
                $"Column '{columnName}' has type {column.Value.Type}; expected an image column (MLImage).", nameof(columnName));
        }

        return column.Value;
    }

    private static byte[] CopyPixels(MLImage image, int index, int width, int height, string parameterName)
    {
        if (image.Width != width || image.Height != height)
        {
            throw new ArgumentException(FormattableString.Invariant(
                $"Image {index} is {image.Width}x{image.Height} (width x height) but image 0 is {width}x{height}; all images of a grid must have the same size."), parameterName);
        }

        var bgra = new byte[width * height * 4];
        ImagePixels.CopyToOpaqueBgra32(image, bgra);
        return bgra;
    }

    private static void WriteGrid(List<byte[]> images, int width, int height, string path, int columns, int padding)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (columns <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(columns), columns, "The number of columns must be positive.");
        }

        if (padding < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(padding), padding, "The padding cannot be negative.");
        }

        if (images.Count == 0)
        {
            throw new ArgumentException("There are no images to put in the grid.", nameof(images));
        }

        int gridColumns = Math.Min(columns, images.Count);
        int gridRows = (images.Count + gridColumns - 1) / gridColumns;
        int gridWidth = (gridColumns * width) + ((gridColumns + 1) * padding);
        int gridHeight = (gridRows * height) + ((gridRows + 1) * padding);
        var grid = new byte[checked(gridWidth * gridHeight * 4)];
        for (int o = 0; o < grid.Length; o += 4)
        {
            grid[o] = PaddingGray;
            grid[o + 1] = PaddingGray;
            grid[o + 2] = PaddingGray;
            grid[o + 3] = 255;
        }

        int rowBytes = width * 4;
        for (int i = 0; i < images.Count; i++)
        {
            int left = padding + ((i % gridColumns) * (width + padding));
            int top = padding + ((i / gridColumns) * (height + padding));
            for (int y = 0; y < height; y++)
            {
                images[i].AsSpan(y * rowBytes, rowBytes).CopyTo(grid.AsSpan((((top + y) * gridWidth) + left) * 4, rowBytes));
            }
        }

        ImageFileWriter.Write(path, gridWidth, gridHeight, grid);
    }
}
