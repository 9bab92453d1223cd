using System;
using System.IO;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Microsoft.ML.Gan.Cli;

/// <summary>Turns the --data argument (IDX file or folder of images) into an IDataView with an <c>Image</c> column.</summary>
internal static class TrainingDataLoader
{
    private static readonly string[] ImageExtensions = { ".png", ".jpg", ".jpeg", ".bmp" };

    /// <summary>The Fashion-MNIST test set shipped beside the tool.</summary>
    public static string DefaultData => Path.Combine(AppContext.BaseDirectory, "fashion-mnist", "t10k-images-idx3-ubyte.gz");

    public static IDataView Load(MLContext mlContext, string path, int imageSize)
    {
        if (Directory.Exists(path))
        {
            return LoadFolder(mlContext, path, imageSize);
        }
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No IDX file or image folder at '{path}'.", path);
        }
        return mlContext.Data.LoadFromIdxFile(path);
    }

    private static IDataView LoadFolder(MLContext mlContext, string folder, int imageSize)
    {
        string[] files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(file => ImageExtensions.Contains(Path.GetExtension(file).ToLowerInvariant()))
            .OrderBy(file => file, StringComparer.Ordinal)
            .ToArray();
        if (files.Length == 0)
        {
            throw new ArgumentException($"Folder '{folder}' holds no .png, .jpg or .bmp images.");
        }
        IDataView paths = mlContext.Data.LoadFromEnumerable(files.Select(file => new ImagePath { Path = file }));
        return mlContext.Transforms.LoadImages("Original", imageFolder: null, inputColumnName: nameof(ImagePath.Path))
            .Append(mlContext.Transforms.ResizeImages("Image", imageSize, imageSize, "Original"))
            .Fit(paths)
            .Transform(paths);
    }

    private sealed class ImagePath
    {
        public string Path { get; set; } = string.Empty;
    }
}
