using System;
using System.CommandLine;
using System.Diagnostics;
using System.IO;
using System.Threading;
using Microsoft.ML.Gan.Data;
using Microsoft.ML.Gan.Persistence;

namespace Microsoft.ML.Gan.Cli;

/// <summary>
/// <c>gan generate</c>: writes images from a saved model as PNG files and, optionally, a grid; a killed or stopped run
/// is continued with <c>--skip-existing</c> (docs/scale-out.md).
/// </summary>
internal static class GenerateCommand
{
    public static System.CommandLine.Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "A model.zip written by 'gan train' or mlContext.Model.Save.", DefaultValueFactory = _ => "model.zip" };
        var count = new Option<int>("--count", "-n") { Description = "How many images.", DefaultValueFactory = _ => 64 };
        var output = new Option<string>("--output", "-o", "--out") { Description = "Folder for the files.", DefaultValueFactory = _ => "generated" };
        var seed = new Option<int>("--seed") { Description = "Seed of the latent vectors; the same seed gives the same images.", DefaultValueFactory = _ => 1 };
        var grid = new Option<string?>("--grid") { Description = "Also write the first 64 images as one grid PNG here." };
        var startIndex = new Option<long>("--start-index") { Description = "Index of the first image: shards of one seed with disjoint ranges give exactly one run's images (docs/scale-out.md)." };
        var skipExisting = new Option<bool>("--skip-existing") { Description = "Keep the images already in --output from the same model, seed and truncation, and write only the missing ones: continues a killed or stopped run." };
        var overwrite = new Option<bool>("--overwrite") { Description = "Use an --output folder that holds images from another model, seed, truncation or label, deleting them first." };
        var format = new Option<string>("--format") { Description = "png: one PNG file per image; idv: one ML.NET binary IDataView file per run (Index and Pixels columns; docs/scale-out.md).", DefaultValueFactory = _ => "png" };
        format.AcceptOnlyFromAmong("png", "idv");
        var progress = new Option<ProgressStyle>("--progress") { HelpName = "style", Description = "Auto (a bar on a terminal, lines when redirected or CI is set), Bar, Lines or None.", DefaultValueFactory = _ => ProgressStyle.Auto };

        var command = new System.CommandLine.Command("generate", "Generate images from a saved GAN model.")
        {
            model, count, output, seed, grid, startIndex, skipExisting, overwrite, format, progress, TruncationFlag.Option, ConditionalCommands.Label,
        };
        command.SetAction(result => Run(
            new GenerationRequest(result.GetValue(model)!, result.GetValue(count), result.GetValue(output)!, result.GetValue(seed), result.GetValue(startIndex),
                TruncationFlag.Read(result), result.GetValue(ConditionalCommands.Label), result.GetValue(skipExisting), result.GetValue(overwrite)),
            result.GetValue(format)!, result.GetValue(grid), GenerationProgressDisplay.ForConsole(result.GetValue(progress))));
        return command;
    }

    private static int Run(GenerationRequest request, string format, string? gridPath, GenerationProgressDisplay display)
    {
        request.Validate();
        AtomicFile.RequireWritableFolder(request.OutputFolder, "--output");
        if (gridPath != null)
        {
            AtomicFile.RequireWritableFile(gridPath, "--grid");
        }
        var mlContext = new MLContext(request.Seed);
        ITransformer loaded = ModelFile.Load<ITransformer>(mlContext, request.ModelPath);
        using var disposeLoaded = loaded as IDisposable;
        ImageSource source = Source(loaded, $"'{request.ModelPath}'", request.Seed, request.Truncation, request.Label);

        GenerationOutput output = format == "idv"
            ? new GenerationOutput.Idv(request.OutputFolder, request.StartIndex, request.Count, source.Channels)
            : new GenerationOutput.Png(new ImageFolderWriter(request.OutputFolder, "image", ".png"));
        GenerationPlan plan = GenerationPlan.Prepare(request, output, source.Generate);
        Stopwatch clock = Stopwatch.StartNew();
        long written = 0;
        using var stop = new CancellationTokenSource();
        using (var signals = new StopSignals(stop.Cancel, output is GenerationOutput.Png ? "once the images already generated are written" : "without writing the file"))
        {
            written = output switch
            {
                GenerationOutput.Png png => WritePngs(png.Writer, plan, source, display, clock, stop.Token),
                GenerationOutput.Idv idv => WriteIdv(mlContext, idv, request, plan, source, display, clock, stop.Token),
                _ => throw new InvalidOperationException($"Unknown output {output.GetType().Name}."),
            };
            display.Finish();
            if (signals.ExitCode is int exitCode)
            {
                string outcome = output is GenerationOutput.Png
                    ? $"stopped after writing {written} of {plan.ToWrite} images to {Path.GetFullPath(request.OutputFolder)}; every file there is whole"
                    : $"stopped before {Path.GetFullPath(((GenerationOutput.Idv)output).Path)} was complete; it was not written";
                Console.Error.WriteLine($"gan: {outcome}. Run the same command with --skip-existing to write the rest.");
                return exitCode;
            }
        }
        string skipped = plan.AlreadyThere > 0 ? $"; {plan.AlreadyThere} were already there" : string.Empty;
        Console.WriteLine($"Wrote {written} images to {Path.GetFullPath(request.OutputFolder)} in {clock.Elapsed.TotalSeconds:F1} s ({written / Math.Max(clock.Elapsed.TotalSeconds, 1e-9):F0} images/s){skipped}.");
        if (gridPath != null)
        {
            GanImages.SaveGrid(source.Generate(request.StartIndex, Math.Min(request.Count, 64)), gridPath, columns: 8);
            Console.WriteLine($"Wrote {Path.GetFullPath(gridPath)}.");
        }
        return ExitCodes.Success;
    }

    private static long WritePngs(ImageFolderWriter writer, GenerationPlan plan, ImageSource source, GenerationProgressDisplay display, Stopwatch clock, CancellationToken stop)
    {
        long written = 0;
        foreach ((long first, int length) in plan.MissingRanges())
        {
            long before = written;
            written += writer.Write(source.Generate(first, length), DefaultColumnNames.Image, first, stop, done => display.Report(before + done, plan.ToWrite, clock.Elapsed));
            if (stop.IsCancellationRequested)
            {
                break;
            }
        }
        return written;
    }

    private static long WriteIdv(MLContext mlContext, GenerationOutput.Idv output, GenerationRequest request, GenerationPlan plan, ImageSource source,
        GenerationProgressDisplay display, Stopwatch clock, CancellationToken stop)
    {
        if (plan.ToWrite == 0)
        {
            return 0;
        }
        var pixels = new ImagePixelVectorDataView(source.Generate(request.StartIndex, request.Count), DefaultColumnNames.Image, output.Channels, request.StartIndex, stop,
            done => display.Report(done, request.Count, clock.Elapsed));
        try
        {
            AtomicFile.Write(output.Path, stream => mlContext.Data.SaveAsBinary(pixels, stream));
            return request.Count;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 0;
        }
    }

    /// <summary>Draws images from the generator in <paramref name="loaded"/>, a GAN, conditional GAN or O-GAN model or a chain holding one.</summary>
    /// <param name="loaded">The model.</param>
    /// <param name="description">How messages name the model, such as its quoted path.</param>
    /// <param name="seed">The latent seed.</param>
    /// <param name="startIndex">The index of the first image.</param>
    /// <param name="truncation">The truncation threshold, or null.</param>
    /// <param name="label">The class to draw (conditional models only), or null for the training distribution.</param>
    public static Func<int, IDataView> Generator(ITransformer loaded, string description, int seed, long startIndex, double? truncation, string? label)
    {
        ImageSource source = Source(loaded, description, seed, truncation, label);
        return count => source.Generate(startIndex, count);
    }

    /// <summary>Images <c>first … first + count − 1</c> of the sequence a model and seed (and label) define.</summary>
    private sealed record ImageSource(Func<long, int, IDataView> Generate, int Channels);

    private static ImageSource Source(ITransformer loaded, string description, int seed, double? truncation, string? label)
    {
        if (ConditionalCommands.Generator(loaded, label, seed, truncation) is { } conditional)
        {
            int channels = ModelFile.Find<ConditionalGanTransformer>(loaded)!.ImageChannels;
            conditional(0, 0); // an unknown --label is named now, before the output folder is looked at
            return new ImageSource(conditional, channels);
        }
        if (ModelFile.Find<GanTransformer>(loaded) is { } gan)
        {
            return new ImageSource((first, count) => gan.Generate(count, seed, first, truncation), gan.ImageChannels);
        }
        if (ModelFile.Find<OGanTransformer>(loaded) is { } ogan)
        {
            return new ImageSource((first, count) => ogan.Generate(count, seed, first, truncation), ogan.ImageChannels);
        }
        throw new ArgumentException($"{description} holds no GAN model (it holds {loaded.GetType().Name}).");
    }
}
