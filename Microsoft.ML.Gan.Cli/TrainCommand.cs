using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using Microsoft.ML;
using Microsoft.ML.Gan.Data;
using Microsoft.ML.Gan.Persistence;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Gan.Cli;

/// <summary><c>gan train</c>: trains a GAN with a progress display, a sample grid per epoch, optionally a TensorBoard log, and writes model.zip.</summary>
internal static class TrainCommand
{
    public static System.CommandLine.Command Create()
    {
        var data = new Option<string>("--data", "--images") { Description = "An IDX image file (gzip or plain) or a folder of .png/.jpg images, searched recursively. Default: the Fashion-MNIST test set shipped with the tool.", HelpName = "path" };
        var size = new Option<int?>("--size", "--image-size") { HelpName = "N", Description = "Resize folder images to NxN (centre crop to square). Default: keep their size, which must then be the same for all." };
        var output = new Option<string>("--output", "-o", "--out") { HelpName = "dir", Description = "Folder for model.zip and samples.png.", DefaultValueFactory = _ => "." };
        var samples = new Option<string?>("--samples-dir") { HelpName = "dir", Description = "Folder for the per-epoch sample grids epoch_001.png, ... Default: OUTPUT/samples." };
        var tensorBoard = new Option<string?>("--tensorboard") { HelpName = "dir", Description = "Also log loss_D, loss_G, D(x), D(G(z)) and the sample grids for TensorBoard in this folder." };
        var progress = new Option<ProgressStyle>("--progress") { HelpName = "style", Description = "Auto (a bar on a terminal, lines when redirected or CI is set), Bar, Lines or None.", DefaultValueFactory = _ => ProgressStyle.Auto };
        var device = new Option<string>("--device") { Description = "cpu or cuda (needs a CUDA TorchSharp backend).", DefaultValueFactory = _ => "cpu" };
        device.AcceptOnlyFromAmong("cpu", "cuda");
        var trainerKind = new Option<string>("--trainer") { Description = "gan; ogan (an O-GAN, whose discriminator is also an encoder); or conditional (a class-conditional GAN; needs --labels).", DefaultValueFactory = _ => "gan" };
        trainerKind.AcceptOnlyFromAmong("gan", "ogan", "conditional");
        var ogan = new OGanTrainOptions();
        var resume = new Option<bool>("--resume") { Description = "Continue from the newest checkpoint in --checkpoint-dir (start fresh when it holds none). Without it, a --checkpoint-dir that holds checkpoints is refused." };
        OptionBinder<GanTrainer.Options> trainer = GanTrainerFlags.Create();

        var command = new System.CommandLine.Command("train", "Train a GAN; writes model.zip, samples.png and a sample grid per epoch.")
        {
            data, size, output, samples, tensorBoard, progress, device, trainerKind, resume,
            ConditionalCommands.Labels, ConditionalCommands.LabelNames, ConditionalCommands.Conditioning,
        };
        ogan.AddTo(command);
        foreach (Option flag in trainer.Flags)
        {
            command.Options.Add(flag);
        }
        command.SetAction(result =>
        {
            GanTrainer.Options options = result.GetValue(trainerKind) switch
            {
                "ogan" => ogan.Create(result, trainer),
                "conditional" => ConditionalCommands.CreateOptions(result, trainer),
                _ => trainer.Apply(result, GanTrainerFlags.ToolDefaults()),
            };
            if (result.GetValue(resume))
            {
                options.ResumeFrom = options.CheckpointDirectory ?? throw new ArgumentException("--resume needs --checkpoint-dir.");
            }
            trainer.Validate(options, o => o.Validate());
            string outputFolder = result.GetValue(output)!;
            var run = new TrainRun(result.GetValue(data) ?? TrainingDataLoader.DefaultData, result.GetValue(size), outputFolder,
                result.GetValue(samples) ?? Path.Combine(outputFolder, "samples"), result.GetValue(tensorBoard), result.GetValue(device) == "cuda");
            return Run(options, run, result, TrainingProgressDisplay.ForConsole(result.GetValue(progress)));
        });
        return command;
    }

    private static int Run(GanTrainer.Options options, TrainRun run, ParseResult result, TrainingProgressDisplay display)
    {
        run.RequireWritableOutputs();
        int seed = options.Seed ?? 1;
        var mlContext = new MLContext(seed) { GpuDeviceId = run.Cuda ? 0 : null, FallbackToCpu = false };
        // The trainer's lines (data, networks, options, resumption, O-GAN's final ρ) are worth showing; its per-log-point
        // "step N epoch E: ..." lines are not, because the display shows the same figures with step totals and ETA.
        mlContext.Log += (_, e) =>
        {
            if (e.Source.Contains("Gan", StringComparison.Ordinal)
                && (e.Kind is ChannelMessageKind.Warning or ChannelMessageKind.Error || (e.Kind == ChannelMessageKind.Info && !e.RawMessage.StartsWith("step ", StringComparison.Ordinal))))
            {
                display.WriteLine(e.RawMessage);
            }
        };
        GanCatalog gan = mlContext.Gan();

        RequireBuildableNetworks(options, run);
        IDataView data = options is ConditionalGanTrainer.Options
            ? ConditionalCommands.LoadData(mlContext, result, run.DataPath, display.WriteLine)
            : TrainingDataLoader.Load(mlContext, run.DataPath, run.Size, display.WriteLine);
        TensorBoardLog? tensorBoard = run.TensorBoardFolder is null ? null : new TensorBoardLog(run.TensorBoardFolder);
        var monitor = new TrainingMonitor(display, run.SamplesFolder, seed, tensorBoard);
        options.ImageColumnName = TrainingDataLoader.ImageColumn;
        options.ProgressCallback = monitor.OnProgress;

        ITransformer model;
        var clock = Stopwatch.StartNew();
        using (var signals = new StopSignals(gan.CancelExecution))
        {
            try
            {
                model = Fit(options, gan, data, display);
            }
            catch (OperationCanceledException stopped) when (signals.ExitCode is int exitCode)
            {
                Console.Error.WriteLine($"gan: {CliErrors.OneLine(stopped)}");
                return exitCode;
            }
        }
        using ((IDisposable)model)
        {
            string modelPath = Path.Combine(run.OutputFolder, "model.zip");
            string samplesPath = Path.Combine(run.OutputFolder, "samples.png");
            ModelFile.Save(mlContext, model, data.Schema, modelPath);
            WriteSamples(model, monitor.LatestGrid, samplesPath, seed);

            IReadOnlyList<GanTrainingRecord> history = model switch
            {
                OGanTransformer trainedOGan => trainedOGan.TrainingHistory,
                ConditionalGanTransformer trainedConditional => trainedConditional.TrainingHistory,
                _ => ((GanTransformer)model).TrainingHistory,
            };
            GanTrainingRecord? last = history.Count > 0 ? history[^1] : null;
            if (model is ConditionalGanTransformer conditional)
            {
                display.WriteLine($"Labels: {string.Join(", ", conditional.LabelNames)}.");
            }
            display.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Trained {last?.Step ?? 0} generator updates in {TrainingProgressDisplay.Clock(clock.Elapsed)}."));
            display.WriteLine($"Wrote {Path.GetFullPath(modelPath)} and {Path.GetFullPath(samplesPath)}; epoch grids in {Path.GetFullPath(run.SamplesFolder)}.");
            if (run.TensorBoardFolder != null)
            {
                display.WriteLine($"TensorBoard: tensorboard --logdir {Path.GetFullPath(run.TensorBoardFolder)}");
            }
        }
        return ExitCodes.Success;
    }

    // A folder resized to --size has its image size before any file is decoded: networks that cannot be built for it (ResNet
    // at 30 px) are refused before the scan. Other sizes are known only from the data's header or first image; Fit checks them.
    private static void RequireBuildableNetworks(GanTrainer.Options options, TrainRun run)
    {
        if (run.Size is int side and >= 1 && Directory.Exists(run.DataPath))
        {
            GanTrainer.CreateSpec(options, new ImageShape(options.Grayscale ? 1 : 3, side, side));
        }
    }

    private static ITransformer Fit(GanTrainer.Options options, GanCatalog gan, IDataView data, TrainingProgressDisplay display)
    {
        try
        {
            return options switch
            {
                OGanTrainer.Options oganOptions => gan.Trainers.OGan(oganOptions).Fit(data),
                ConditionalGanTrainer.Options conditionalOptions => gan.Trainers.ConditionalGan(conditionalOptions).Fit(data),
                _ => gan.Trainers.Gan(options).Fit(data),
            };
        }
        finally
        {
            display.Finish();
        }
    }

    // The last epoch's grid was drawn by the finished generator from the latent vectors of 'gan generate --seed', so it is
    // the final sample grid. A run that had nothing left to train (resumed from its final checkpoint) drew no grid: the
    // model draws the same one.
    private static void WriteSamples(ITransformer model, string? latestGrid, string samplesPath, int seed)
    {
        if (latestGrid != null)
        {
            AtomicFile.WriteAllBytes(samplesPath, File.ReadAllBytes(latestGrid));
            return;
        }
        Func<int, IDataView> generate = GenerateCommand.Generator(model, "the trained model", seed, startIndex: 0, truncation: null, label: null);
        GanImages.SaveGrid(generate(TrainingMonitor.GridImages), samplesPath, columns: 8);
    }

    private sealed record TrainRun(string DataPath, int? Size, string OutputFolder, string SamplesFolder, string? TensorBoardFolder, bool Cuda)
    {
        /// <summary>Checks every output folder before any data is read or any step trained, so a bad path costs no training.</summary>
        public void RequireWritableOutputs()
        {
            AtomicFile.RequireWritableFolder(OutputFolder, "--output");
            AtomicFile.RequireWritableFile(Path.Combine(OutputFolder, "model.zip"), "--output");
            AtomicFile.RequireWritableFile(Path.Combine(OutputFolder, "samples.png"), "--output");
            AtomicFile.RequireWritableFolder(SamplesFolder, "--samples-dir");
            if (TensorBoardFolder != null)
            {
                AtomicFile.RequireWritableFolder(TensorBoardFolder, "--tensorboard");
            }
        }
    }
}
