using System;
using System.CommandLine;
using System.Diagnostics;
using System.IO;
using Microsoft.ML.Gan.Persistence;

namespace Microsoft.ML.Gan.Cli;

/// <summary><c>gan generate</c>: writes images from a saved model as PNG files and, optionally, a grid.</summary>
internal static class GenerateCommand
{
    public static System.CommandLine.Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "A model.zip written by 'gan train' or mlContext.Model.Save.", DefaultValueFactory = _ => "model.zip" };
        var count = new Option<int>("--count", "-n") { Description = "How many images.", DefaultValueFactory = _ => 64 };
        var output = new Option<string>("--output", "-o", "--out") { Description = "Folder for the PNG files.", DefaultValueFactory = _ => "generated" };
        var seed = new Option<int>("--seed") { Description = "Seed of the latent vectors; the same seed gives the same images.", DefaultValueFactory = _ => 1 };
        var grid = new Option<string?>("--grid") { Description = "Also write the first 64 images as one grid PNG here." };
        var startIndex = new Option<long>("--start-index") { Description = "Index of the first image: shards of one seed with disjoint ranges give exactly one run's images (docs/scale-out.md)." };

        var command = new System.CommandLine.Command("generate", "Generate images from a saved GAN model.") { model, count, output, seed, grid, startIndex, TruncationFlag.Option, ConditionalCommands.Label };
        command.SetAction(result => Run(result.GetValue(model)!, result.GetValue(count), result.GetValue(output)!, result.GetValue(seed), result.GetValue(grid), result.GetValue(startIndex),
            TruncationFlag.Read(result), result.GetValue(ConditionalCommands.Label)));
        return command;
    }

    private static int Run(string modelPath, int count, string outputFolder, int seed, string? gridPath, long startIndex, double? truncation, string? label)
    {
        if (count < 0)
        {
            throw new ArgumentException($"--count must be ≥ 0; got {count}.");
        }
        if (startIndex < 0)
        {
            throw new ArgumentException($"--start-index must be ≥ 0; got {startIndex}.");
        }
        AtomicFile.RequireWritableFolder(outputFolder, "--output");
        if (gridPath != null)
        {
            AtomicFile.RequireWritableFile(gridPath, "--grid");
        }
        var mlContext = new MLContext(seed);
        ITransformer loaded = ModelFile.Load<ITransformer>(mlContext, modelPath);
        using var disposeLoaded = loaded as IDisposable;
        Func<int, IDataView> generate = Generator(loaded, $"'{modelPath}'", seed, startIndex, truncation, label);

        Stopwatch clock = Stopwatch.StartNew();
        IDataView images = generate(count);
        int written = GanImages.SavePngs(images, outputFolder, firstIndex: startIndex).Count;
        Console.WriteLine($"Wrote {written} images to {Path.GetFullPath(outputFolder)} in {clock.Elapsed.TotalSeconds:F1} s ({written / Math.Max(clock.Elapsed.TotalSeconds, 1e-9):F0} images/s).");
        if (gridPath != null)
        {
            GanImages.SaveGrid(generate(Math.Min(count, 64)), gridPath, columns: 8);
            Console.WriteLine($"Wrote {Path.GetFullPath(gridPath)}.");
        }
        return ExitCodes.Success;
    }

    /// <summary>Draws images from the generator in <paramref name="loaded"/>, a GAN, conditional GAN or O-GAN model or a chain holding one.</summary>
    /// <param name="loaded">The model.</param>
    /// <param name="description">How messages name the model, such as its quoted path.</param>
    /// <param name="seed">The latent seed.</param>
    /// <param name="startIndex">The index of the first image (unconditional models only).</param>
    /// <param name="truncation">The truncation threshold, or null.</param>
    /// <param name="label">The class to draw (conditional models only), or null for the training distribution.</param>
    public static Func<int, IDataView> Generator(ITransformer loaded, string description, int seed, long startIndex, double? truncation, string? label) =>
        ConditionalGenerator(loaded, label, seed, startIndex, truncation) ?? UnconditionalGenerator(loaded, description, seed, startIndex, truncation);

    private static Func<int, IDataView>? ConditionalGenerator(ITransformer loaded, string? label, int seed, long startIndex, double? truncation)
    {
        Func<int, IDataView>? generate = ConditionalCommands.Generator(loaded, label, seed, truncation);
        if (generate != null && startIndex != 0)
        {
            throw new ArgumentException("--start-index works with unconditional GAN and O-GAN models; this model is conditional.");
        }
        return generate;
    }

    private static Func<int, IDataView> UnconditionalGenerator(ITransformer loaded, string description, int seed, long startIndex, double? truncation)
    {
        if (ModelFile.Find<GanTransformer>(loaded) is { } gan)
        {
            return count => gan.Generate(count, seed, startIndex, truncation);
        }
        if (ModelFile.Find<OGanTransformer>(loaded) is { } ogan)
        {
            return count => ogan.Generate(count, seed, startIndex, truncation);
        }
        throw new ArgumentException($"{description} holds no GAN model (it holds {loaded.GetType().Name}).");
    }
}
