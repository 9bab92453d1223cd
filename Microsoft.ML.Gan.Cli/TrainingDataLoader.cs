using System;
using System.IO;
using System.Linq;
using Microsoft.ML;

namespace Microsoft.ML.Gan.Cli;

/// <summary>Turns the --data argument (IDX file or folder of images) into an IDataView with an <c>Image</c> column.</summary>
internal static class TrainingDataLoader
{
    /// <summary>The column every loaded data view holds the images in.</summary>
    public const string ImageColumn = DefaultColumnNames.Image;

    /// <summary>ML.NET's ImageDataViewType refuses images of more pixels (height × width ≤ int.MaxValue / 4, one Bgra32 buffer).</summary>
    private const long MaxImagePixels = int.MaxValue / 4;

    /// <summary>The column a folder's data view holds each image's file path in.</summary>
    public const string PathColumn = nameof(ImagePath.Path);

    /// <summary>Loads images for a trained model: a folder's images are resized to the model's square size; an IDX file is used as it is.</summary>
    public static IDataView LoadForModel(MLContext mlContext, string path, int side) =>
        Load(mlContext, path, Directory.Exists(path) ? side : null, _ => { });

    /// <summary>The Fashion-MNIST test set shipped beside the tool.</summary>
    public static string DefaultData => Path.Combine(AppContext.BaseDirectory, "fashion-mnist", "t10k-images-idx3-ubyte.gz");

    /// <summary>
    /// An IDX file becomes LoadFromIdxFile's <c>Vector&lt;Single, 1, H, W&gt;</c>; a folder becomes an MLImage column
    /// (LoadImages, then ResizeImages to <paramref name="size"/> × <paramref name="size"/> when given), so the trainer
    /// reads it exactly as it reads a user's own image pipeline.
    /// </summary>
    /// <param name="mlContext">The context.</param>
    /// <param name="path">An IDX images file (gzip or plain) or a folder of images.</param>
    /// <param name="size">The side folder images are resized to; null keeps their size, which must then be the same for all.</param>
    /// <param name="describe">Receives one line about what was found (count, sizes).</param>
    public static IDataView Load(MLContext mlContext, string path, int? size, Action<string> describe)
    {
        if (size is < 1)
        {
            throw new ArgumentException($"--size must be at least 1 pixel; got {size}.");
        }
        if (size is int side && (long)side * side > MaxImagePixels)
        {
            throw new ArgumentException(
                $"--size {side} asks for {side}x{side} images, more than the {MaxImagePixels} pixels (height × width) ML.NET's image type holds; the largest square is {(int)Math.Sqrt(MaxImagePixels)}x{(int)Math.Sqrt(MaxImagePixels)}.");
        }
        if (Directory.Exists(path))
        {
            return LoadFolder(mlContext, path, size, describe);
        }
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No IDX file or image folder at '{path}'.", path);
        }
        if (size != null)
        {
            throw new ArgumentException($"--size resizes the images of a folder; '{path}' is a file, whose images are used at their own size.");
        }
        IDataView data = mlContext.Data.LoadFromIdxFile(path);
        describe($"Read {path}.");
        return data;
    }

    private static IDataView LoadFolder(MLContext mlContext, string folder, int? size, Action<string> describe)
    {
        ImageFolder images = ImageFolder.Scan(folder, sameSizeRequired: size == null);
        string duplicates = images.Duplicates == 0 ? string.Empty
            : $" ({images.Duplicates} more paths are symbolic links to these files and were left out)";
        describe(size is int side
            ? $"Found {images.Files.Count} images in {folder}{duplicates}; resizing them to {side}x{side} (centre crop to square)."
            : $"Found {images.Files.Count} images of {images.Width}x{images.Height} in {folder}{duplicates}.");

        IDataView paths = mlContext.Data.LoadFromEnumerable(images.Files.Select(file => new ImagePath { Path = file }));
        // Resizing to the images' own size changes no pixel (same-size images pass through) but puts the size in the
        // column's type, which the trainer reads before the data.
        (int width, int height) = size is int resized ? (resized, resized) : (images.Width, images.Height);
        return mlContext.Transforms.LoadImages("Original", imageFolder: null, inputColumnName: nameof(ImagePath.Path))
            .Append(mlContext.Transforms.ResizeImages(ImageColumn, width, height, "Original"))
            .Fit(paths)
            .Transform(paths);
    }

    private sealed class ImagePath
    {
        public string Path { get; set; } = string.Empty;
    }
}
