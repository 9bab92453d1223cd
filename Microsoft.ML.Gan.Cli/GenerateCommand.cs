using System;
using System.CommandLine;
using System.Diagnostics;
using System.IO;
using Microsoft.ML;

namespace Microsoft.ML.Gan.Cli;

/// <summary><c>gan generate</c>: writes images from a saved model as PNG files and, optionally, a grid.</summary>
internal static class GenerateCommand
{
    public static System.CommandLine.Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "A model.zip written by 'gan train' or mlContext.Model.Save.", DefaultValueFactory = _ => "model.zip" };
        var count = new Option<int>("--count", "-n") { Description = "How many images.", DefaultValueFactory = _ => 64 };
        var output = new Option<string>("--out", "-o") { Description = "Folder for the PNG files.", DefaultValueFactory = _ => "generated" };
        var seed = new Option<int>("--seed") { Description = "Seed of the latent vectors; the same seed gives the same images.", DefaultValueFactory = _ => 1 };
        var grid = new Option<string?>("--grid") { Description = "Also write the first 64 images as one grid PNG here." };

        var command = new System.CommandLine.Command("generate", "Generate images from a saved GAN model.") { model, count, output, seed, grid, ConditionalCommands.Label };
        command.SetAction(result => Run(result.GetValue(model)!, result.GetValue(count), result.GetValue(output)!, result.GetValue(seed), result.GetValue(grid),
            result.GetValue(ConditionalCommands.Label)));
        return command;
    }

    private static int Run(string modelPath, int count, string outputFolder, int seed, string? gridPath, string? label)
    {
        if (count < 0)
        {
            throw new ArgumentException($"--count must be ≥ 0; got {count}.");
        }
        if (!File.Exists(modelPath))
        {
            throw new FileNotFoundException($"No model file at '{modelPath}'.", modelPath);
        }

        var mlContext = new MLContext(seed);
        mlContext.Gan();
        ITransformer loaded;
        try
        {
            loaded = mlContext.Model.Load(modelPath, out _);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or InvalidDataException or System.Reflection.TargetInvocationException)
        {
            throw new ArgumentException($"'{modelPath}' is not a model saved by Microsoft.ML.Gan ({Innermost(e).Message})", e);
        }
        using var disposeLoaded = loaded as IDisposable;
        Func<int, IDataView> generate = ConditionalCommands.Generator(loaded, label, seed) ?? (n => FindGanTransformer(loaded, modelPath).Generate(n, seed));

        Stopwatch clock = Stopwatch.StartNew();
        IDataView images = generate(count);
        int written = GanImages.SavePngs(images, outputFolder).Count;
        Console.WriteLine($"Wrote {written} images to {Path.GetFullPath(outputFolder)} in {clock.Elapsed.TotalSeconds:F1} s.");
        if (gridPath != null)
        {
            GanImages.SaveGrid(generate(Math.Min(count, 64)), gridPath, columns: 8);
            Console.WriteLine($"Wrote {Path.GetFullPath(gridPath)}.");
        }
        return ExitCodes.Success;
    }

    private static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);

    private static GanTransformer FindGanTransformer(ITransformer loaded, string modelPath)
    {
        if (loaded is GanTransformer gan)
        {
            return gan;
        }
        if (loaded is System.Collections.Generic.IEnumerable<ITransformer> chain)
        {
            foreach (ITransformer part in chain)
            {
                if (part is GanTransformer inner)
                {
                    return inner;
                }
            }
        }
        throw new ArgumentException($"'{modelPath}' holds no GAN model (it holds {loaded.GetType().Name}).");
    }
}
