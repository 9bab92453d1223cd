using System;
using System.CommandLine;
using System.IO;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Data;
using Microsoft.ML.Gan.Persistence;

namespace Microsoft.ML.Gan.Cli;

/// <summary><c>gan interpolate</c>: writes one row of images along the line between two images' O-GAN codes.</summary>
internal static class InterpolateCommand
{
    public static System.CommandLine.Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "A model.zip holding an O-GAN.", DefaultValueFactory = _ => "model.zip" };
        var from = new Option<string>("--from") { Description = "The first image (PNG/JPG of the model's size).", Required = true };
        var to = new Option<string>("--to") { Description = "The last image (PNG/JPG of the model's size).", Required = true };
        var steps = new Option<int>("--steps") { Description = "Images in the row, endpoints included.", DefaultValueFactory = _ => 8 };
        var output = new Option<string>("--output", "-o", "--out") { Description = "The PNG file of the row.", DefaultValueFactory = _ => "interpolation.png" };

        var command = new System.CommandLine.Command("interpolate", "Interpolate between two images through an O-GAN's code.") { model, from, to, steps, output };
        command.SetAction(result => Run(result.GetValue(model)!, result.GetValue(from)!, result.GetValue(to)!, result.GetValue(steps), result.GetValue(output)!));
        return command;
    }

    private static int Run(string modelPath, string fromPath, string toPath, int steps, string outputPath)
    {
        AtomicFile.RequireWritableFile(outputPath, "--output");
        using MLImage from = ReadImage(fromPath, "--from");
        using MLImage to = ReadImage(toPath, "--to");
        var mlContext = new MLContext(seed: 1);
        using OGanTransformer model = ModelFile.LoadOGan(mlContext, modelPath);
        IDataView row = model.GenerateInterpolation(from, to, steps);
        GanImages.SaveGrid(row, outputPath, columns: steps, maxImages: steps);
        Console.WriteLine($"Wrote {steps} images to {Path.GetFullPath(outputPath)}.");
        return ExitCodes.Success;
    }

    // Decoded whole first: MLImage says only "Invalid path" for a damaged file, and decodes a cut one with black rows.
    private static MLImage ReadImage(string path, string option)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{option}: no image at '{path}'.", path);
        }
        try
        {
            ImageFile.Decode(path);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{option}: {e.Message}", e);
        }
        return MLImage.CreateFromFile(path);
    }
}
