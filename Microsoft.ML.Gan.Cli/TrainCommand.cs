using System;
using System.CommandLine;
using System.Diagnostics;
using System.IO;
using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Gan.Cli;

/// <summary><c>gan train</c>: trains a GAN and writes model.zip and a grid of samples.</summary>
internal static class TrainCommand
{
    public static System.CommandLine.Command Create()
    {
        var defaults = new GanTrainer.Options();
        var data = new Option<string>("--data") { Description = "An IDX image file (gzip or plain) or a folder of .png/.jpg images. Default: the Fashion-MNIST test set shipped with the tool.", DefaultValueFactory = _ => TrainingDataLoader.DefaultData };
        var imageSize = new Option<int>("--image-size") { Description = "Side in pixels that folder images are resized to.", DefaultValueFactory = _ => 32 };
        var grayscale = new Option<bool>("--grayscale") { Description = "Train folder images as grayscale." };
        var output = new Option<string>("--output", "-o") { Description = "Folder for model.zip and samples.png.", DefaultValueFactory = _ => "." };
        var architecture = new Option<GanArchitecture>("--architecture") { Description = "Mlp or Dcgan.", DefaultValueFactory = _ => defaults.Architecture };
        var loss = new Option<GanLoss>("--loss") { Description = "Minimax, NonSaturating, Wasserstein, WassersteinGradientPenalty, Hinge or LeastSquares.", DefaultValueFactory = _ => defaults.Loss };
        var latent = new Option<int>("--latent-dim") { Description = "Latent vector size.", DefaultValueFactory = _ => defaults.LatentDimension };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the data.", DefaultValueFactory = _ => 6 };
        var maxSteps = new Option<int?>("--max-steps") { Description = "Cap on generator updates." };
        var batchSize = new Option<int>("--batch-size") { Description = "Images per discriminator update.", DefaultValueFactory = _ => defaults.BatchSize };
        var discriminatorSteps = new Option<int>("--d-steps") { Description = "Discriminator updates per generator update (k).", DefaultValueFactory = _ => defaults.DiscriminatorSteps };
        var generatorLr = new Option<double>("--lr-g") { Description = "Generator learning rate.", DefaultValueFactory = _ => defaults.GeneratorLearningRate };
        var discriminatorLr = new Option<double>("--lr-d") { Description = "Discriminator learning rate.", DefaultValueFactory = _ => defaults.DiscriminatorLearningRate };
        var beta1 = new Option<double>("--beta1") { Description = "Adam beta1.", DefaultValueFactory = _ => defaults.Beta1 };
        var beta2 = new Option<double>("--beta2") { Description = "Adam beta2.", DefaultValueFactory = _ => defaults.Beta2 };
        var penalty = new Option<double>("--gp-weight") { Description = "Gradient penalty weight (WassersteinGradientPenalty).", DefaultValueFactory = _ => defaults.GradientPenaltyWeight };
        var clip = new Option<double?>("--weight-clip") { Description = "Clamp discriminator weights to ±this after each update." };
        var spectral = new Option<bool>("--spectral-norm") { Description = "Spectral normalization in the discriminator." };
        var seed = new Option<int>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 1 };
        var logEvery = new Option<int>("--log-every") { Description = "Print losses every this many generator updates.", DefaultValueFactory = _ => 50 };
        var device = new Option<string>("--device") { Description = "cpu or cuda (needs a CUDA TorchSharp backend).", DefaultValueFactory = _ => "cpu" };
        device.AcceptOnlyFromAmong("cpu", "cuda");

        var command = new System.CommandLine.Command("train", "Train a GAN; writes model.zip and samples.png.")
        {
            data, imageSize, grayscale, output, architecture, loss, latent, epochs, maxSteps, batchSize, discriminatorSteps,
            generatorLr, discriminatorLr, beta1, beta2, penalty, clip, spectral, seed, logEvery, device,
            ConditionalCommands.Trainer, ConditionalCommands.Labels, ConditionalCommands.LabelNames, ConditionalCommands.Conditioning,
        };
        command.SetAction(result =>
        {
            var options = new GanTrainer.Options
            {
                Architecture = result.GetValue(architecture),
                Loss = result.GetValue(loss),
                LatentDimension = result.GetValue(latent),
                Epochs = result.GetValue(epochs),
                MaxSteps = result.GetValue(maxSteps),
                BatchSize = result.GetValue(batchSize),
                DiscriminatorSteps = result.GetValue(discriminatorSteps),
                GeneratorLearningRate = result.GetValue(generatorLr),
                DiscriminatorLearningRate = result.GetValue(discriminatorLr),
                Beta1 = result.GetValue(beta1),
                Beta2 = result.GetValue(beta2),
                GradientPenaltyWeight = result.GetValue(penalty),
                WeightClip = result.GetValue(clip),
                SpectralNormalization = result.GetValue(spectral),
                Grayscale = result.GetValue(grayscale),
                LogEveryNSteps = result.GetValue(logEvery),
                Seed = result.GetValue(seed),
            };
            return Run(options, result, result.GetValue(data)!, result.GetValue(imageSize), result.GetValue(output)!, result.GetValue(seed), result.GetValue(device) == "cuda");
        });
        return command;
    }

    private static int Run(GanTrainer.Options options, ParseResult result, string dataPath, int imageSize, string outputFolder, int seed, bool cuda)
    {
        var mlContext = new MLContext(seed) { GpuDeviceId = cuda ? 0 : null, FallbackToCpu = false };
        mlContext.Log += (_, e) =>
        {
            if ((e.Source.StartsWith(nameof(GanTrainer), StringComparison.Ordinal) || e.Source.StartsWith(nameof(ConditionalGanTrainer), StringComparison.Ordinal))
                && e.Kind is ChannelMessageKind.Info or ChannelMessageKind.Warning)
            {
                Console.WriteLine(e.RawMessage);
            }
        };
        GanCatalog gan = mlContext.Gan();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            Console.Error.WriteLine("gan: stopping after the current step...");
            gan.CancelExecution();
        };

        if (ConditionalCommands.IsConditional(result))
        {
            return ConditionalCommands.Train(result, options, mlContext, dataPath, outputFolder, seed);
        }

        IDataView data = TrainingDataLoader.Load(mlContext, dataPath, imageSize);
        Directory.CreateDirectory(outputFolder);
        string modelPath = Path.Combine(outputFolder, "model.zip");
        string samplesPath = Path.Combine(outputFolder, "samples.png");

        Stopwatch clock = Stopwatch.StartNew();
        using GanTransformer model = gan.Trainers.Gan(options).Fit(data);
        Console.WriteLine($"Trained in {clock.Elapsed.TotalSeconds:F0} s.");

        mlContext.Model.Save(model, data.Schema, modelPath);
        GanImages.SaveGrid(model.Generate(64, seed), samplesPath, columns: 8);
        Console.WriteLine($"Wrote {Path.GetFullPath(modelPath)} and {Path.GetFullPath(samplesPath)}.");
        return ExitCodes.Success;
    }
}
