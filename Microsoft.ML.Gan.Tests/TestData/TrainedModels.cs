using Microsoft.ML.Gan.Tests.TestData;

namespace Microsoft.ML.Gan.Tests.TestData;

/// <summary>Small, quickly trained models for tests that need a trained transformer but not a good one.</summary>
internal static class TrainedModels
{
    public static GanTransformer Dcgan(MLContext mlContext, int steps = 20, int latent = 8) =>
        mlContext.Gan().Trainers.Gan(new GanTrainer.Options
        {
            Architecture = GanArchitecture.Dcgan,
            LatentDimension = latent,
            MaxSteps = steps,
            Epochs = 1000,
            BatchSize = 16,
            LogEveryNSteps = 10,
            Seed = 5,
        }).Fit(SyntheticModes.Create(mlContext, 64));
}
