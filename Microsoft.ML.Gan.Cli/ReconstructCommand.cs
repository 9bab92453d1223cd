using System;
using System.CommandLine;
using System.IO;
using Microsoft.ML;
using Microsoft.ML.Gan.Persistence;

namespace Microsoft.ML.Gan.Cli;

/// <summary><c>gan reconstruct</c>: writes G(N(E(x))) for each image as PNG files and, optionally, a grid.</summary>
internal static class ReconstructCommand
{
    public static System.CommandLine.Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "A model.zip holding an O-GAN.", DefaultValueFactory = _ => "model.zip" };
        var images = new Option<string>("--images") { Description = "An IDX image file (gzip or plain) or a folder of .png/.jpg images (resized to the model's size).", Required = true };
        var output = new Option<string>("--output", "-o", "--out") { Description = "Folder for the reconstructed PNG files.", DefaultValueFactory = _ => "reconstructed" };
        var count = new Option<int?>("--count", "-n") { Description = "Reconstruct only the first this many images." };
        var grid = new Option<string?>("--grid") { Description = "Also write the first 64 reconstructions as one grid PNG here." };

        var command = new System.CommandLine.Command("reconstruct", "Reconstruct images through an O-GAN's code: G(N(E(x))).") { model, images, output, count, grid };
        command.SetAction(result => Run(result.GetValue(model)!, result.GetValue(images)!, result.GetValue(output)!, result.GetValue(count), result.GetValue(grid)));
        return command;
    }

    private static int Run(string modelPath, string imagesPath, string outputFolder, int? count, string? gridPath)
    {
        if (count is < 0)
        {
            throw new ArgumentException($"--count must be ≥ 0; got {count}.");
        }
        AtomicFile.RequireWritableFolder(outputFolder, "--output");
        if (gridPath != null)
        {
            AtomicFile.RequireWritableFile(gridPath, "--grid");
        }
        var mlContext = new MLContext(seed: 1);
        using OGanTransformer model = ModelFile.LoadOGan(mlContext, modelPath);
        IDataView data = TrainingDataLoader.LoadForModel(mlContext, imagesPath, model.ImageWidth);
        if (count is int limit)
        {
            data = mlContext.Data.TakeRows(data, limit);
        }
        const string column = OGanTransformer.ReconstructionColumnName;
        int written = GanImages.SavePngs(model.Reconstruct(data), outputFolder, column, "reconstruction").Count;
        Console.WriteLine($"Wrote {written} reconstructions to {Path.GetFullPath(outputFolder)}.");
        if (gridPath != null)
        {
            GanImages.SaveGrid(model.Reconstruct(data), gridPath, columns: 8, imageColumnName: column);
            Console.WriteLine($"Wrote {Path.GetFullPath(gridPath)}.");
        }
        return ExitCodes.Success;
    }
}
