using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;

namespace Microsoft.ML.Gan.Tests.TestData;

/// <summary>
/// Models and checkpoints as a library version saved them, kept under TestData/EarlierVersions/NAME/ so that later
/// versions are tested against the real files: for each trainer, <c>model.zip</c> saved at update
/// <see cref="CheckpointStep"/> of a run, and <c>expected.txt</c> with what that version computed — the model's scores of
/// the training rows and generated pixels, and the generated pixels of the same run left to go on to update
/// <see cref="FinalStep"/>; for the trainers of <see cref="CheckpointTrainers"/>, also that run's checkpoint of update
/// <see cref="CheckpointStep"/> (1–1.5 MB each, so not for all). <see cref="Write"/> makes them: run the test assembly
/// with <see cref="Command"/> FOLDER, and keep the folder as TestData/EarlierVersions/VERSION-COMMIT/.
/// </summary>
internal static class EarlierVersionFixtures
{
    public const string Command = "write-earlier-version-fixtures";
    public const int CheckpointStep = 2;
    public const int FinalStep = 4;
    public const int GeneratedImages = 4;
    public const int GenerationSeed = 11;

    /// <summary>The trainers whose files are kept, by folder name.</summary>
    public static readonly string[] Trainers = { "gan", "conditional", "ogan" };

    /// <summary>The trainers whose checkpoints are kept: the plain game with WGAN-GP's penalty and an average, and O-GAN's game with two regularizers.</summary>
    public static readonly string[] CheckpointTrainers = { "gan", "ogan" };

    /// <summary>The file names in each trainer's folder.</summary>
    public const string ModelFile = "model.zip", CheckpointFile = "checkpoint.gancheckpoint", ExpectedFile = "expected.txt";

    public static int Run(string[] args)
    {
        Write(args[1]);
        return 0;
    }

    /// <summary>The training rows every fixture is trained on: <see cref="SyntheticModes"/>'s labelled set, 16 rows.</summary>
    public static IDataView Data(MLContext mlContext) => SyntheticModes.CreateLabelled(mlContext, 16, seed: 3);

    /// <summary>Trains with <paramref name="trainer"/>'s fixture options up to <paramref name="steps"/> updates; returns the transformer.</summary>
    public static ITransformer Train(MLContext mlContext, string trainer, IDataView data, int steps, string? checkpoints, string? resumeFrom)
    {
        void Common(GanTrainer.Options options)
        {
            options.Architecture = GanArchitecture.Mlp;
            options.LatentDimension = 4;
            options.BatchSize = 4;
            options.Epochs = 100;
            options.MaxSteps = steps;
            options.Seed = 5;
            options.CheckpointDirectory = checkpoints;
            options.CheckpointEveryNSteps = 1;
            options.ResumeFrom = resumeFrom;
        }
        switch (trainer)
        {
            case "gan":
                var plain = new GanTrainer.Options { Loss = GanLoss.WassersteinGradientPenalty, GeneratorEmaDecay = 0.9 };
                Common(plain);
                return mlContext.Gan().Trainers.Gan(plain).Fit(data);
            case "conditional":
                var conditional = new ConditionalGanTrainer.Options { Conditioning = ConditioningMethod.ProjectionAndAuxiliaryClassifier };
                Common(conditional);
                return mlContext.Gan().Trainers.ConditionalGan(conditional).Fit(data);
            case "ogan":
                var ogan = new OGanTrainer.Options { CorrelationWeight = 2 };
                Common(ogan);
                ogan.LatentDimension = 6;
                return mlContext.Gan().Trainers.OGan(ogan).Fit(data);
            default:
                throw new ArgumentOutOfRangeException(nameof(trainer), trainer, "Unknown fixture trainer.");
        }
    }

    /// <summary>The model's scores of the training rows.</summary>
    public static float[] Scores(ITransformer model, IDataView data) =>
        model.Transform(data).GetColumn<float>("Score").ToArray();

    /// <summary>The BGRA bytes of <see cref="GeneratedImages"/> images generated with <see cref="GenerationSeed"/>.</summary>
    public static byte[] Generated(ITransformer model)
    {
        IDataView generated = model switch
        {
            GanTransformer gan => gan.Generate(GeneratedImages, GenerationSeed),
            ConditionalGanTransformer conditional => conditional.Generate(GeneratedImages, GenerationSeed),
            OGanTransformer ogan => ogan.Generate(GeneratedImages, GenerationSeed),
            _ => throw new ArgumentException($"Not a GAN: {model.GetType().Name}.", nameof(model)),
        };
        return generated.GetColumn<MLImage>("Image").SelectMany(image => image.Pixels.ToArray()).ToArray();
    }

    /// <summary>Writes every trainer's files under <paramref name="folder"/>.</summary>
    public static void Write(string folder)
    {
        var mlContext = new MLContext(seed: 1);
        IDataView data = Data(mlContext);
        foreach (string trainer in Trainers)
        {
            string target = Directory.CreateDirectory(Path.Combine(folder, trainer)).FullName;
            string run = Path.Combine(Path.GetTempPath(), "fixture-" + Guid.NewGuid().ToString("N"));
            ITransformer early = Train(mlContext, trainer, data, CheckpointStep, run, resumeFrom: null);
            if (CheckpointTrainers.Contains(trainer))
            {
                File.Copy(Directory.GetFiles(run, "*.gancheckpoint").OrderBy(path => path, StringComparer.Ordinal).Last(),
                    Path.Combine(target, CheckpointFile), overwrite: true);
            }
            mlContext.Model.Save(early, data.Schema, Path.Combine(target, ModelFile));
            ITransformer final = Train(mlContext, trainer, data, FinalStep, checkpoints: null, resumeFrom: null);
            File.WriteAllLines(Path.Combine(target, ExpectedFile), new[]
            {
                string.Join(' ', Scores(early, data).Select(score => score.ToString("R", CultureInfo.InvariantCulture))),
                Convert.ToBase64String(Generated(early)),
                Convert.ToBase64String(Generated(final)),
            });
            Directory.Delete(run, recursive: true);
            (early as IDisposable)?.Dispose();
            (final as IDisposable)?.Dispose();
        }
    }
}
