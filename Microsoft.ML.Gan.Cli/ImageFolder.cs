using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.Gan.Data;

namespace Microsoft.ML.Gan.Cli;

/// <summary>The image files of a folder and its subfolders, checked to be readable (and of one size when not resized).</summary>
internal sealed class ImageFolder
{
    private static readonly string[] Extensions = { ".png", ".jpg", ".jpeg", ".bmp" };

    private ImageFolder(IReadOnlyList<string> files, int width, int height, int duplicates)
    {
        Files = files;
        Width = width;
        Height = height;
        Duplicates = duplicates;
    }

    /// <summary>The image files in ordinal path order, so that the same folder always gives the same rows.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>The width of the first image.</summary>
    public int Width { get; }

    /// <summary>The height of the first image.</summary>
    public int Height { get; }

    /// <summary>Paths left out because a symbolic link made them a second path to a file already listed.</summary>
    public int Duplicates { get; }

    /// <summary>
    /// Lists the images under <paramref name="folder"/> and decodes each once, before any training, so that a bad file is
    /// reported by name instead of by row number half-way through reading the data.
    /// </summary>
    /// <param name="folder">
    /// The folder, searched recursively for .png, .jpg, .jpeg and .bmp files; symbolic links are followed, each real
    /// folder and file taken once (<see cref="ImageFileSearch"/>).
    /// </param>
    /// <param name="sameSizeRequired">True when the images are used at their own size: all must match the first.</param>
    /// <exception cref="ArgumentException">The folder holds no images.</exception>
    /// <exception cref="InvalidDataException">
    /// An image cannot be opened or decoded completely (empty, not an image, truncated, corrupt), or its size differs from
    /// the first one's when <paramref name="sameSizeRequired"/>.
    /// </exception>
    public static ImageFolder Scan(string folder, bool sameSizeRequired)
    {
        (IReadOnlyList<string> files, int duplicates) = ImageFileSearch.Find(folder, Extensions);
        if (files.Count == 0)
        {
            throw new ArgumentException($"Folder '{folder}' holds no .png, .jpg or .bmp images (subfolders included).");
        }

        (int width, int height) = ImageFile.Decode(files[0]);
        foreach (string file in files.Skip(1))
        {
            (int w, int h) = ImageFile.Decode(file);
            if (sameSizeRequired && (w, h) != (width, height))
            {
                throw new InvalidDataException(
                    $"Image '{file}' is {w}x{h} but '{files[0]}' is {width}x{height}; pass --size N to resize every image to NxN, or use images of one size.");
            }
        }
        return new ImageFolder(files, width, height, duplicates);
    }
}
