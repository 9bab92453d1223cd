namespace Microsoft.ML.Gan.Tests.TestData;

/// <summary>A small, quickly trained conditional model on <see cref="SyntheticModes.CreateLabelled"/>, for tests that need one but not a good one.</summary>
internal static class TrainedConditionalModels
{
    public static ConditionalGanTransformer Projection(MLContext mlContext, int steps = 20, int latent = 8) =>
        mlContext.Gan().Trainers.ConditionalGan(new ConditionalGanTrainer.Options
        {
            Architecture = GanArchitecture.Dcgan,
            Conditioning = ConditioningMethod.ProjectionAndAuxiliaryClassifier,
            LatentDimension = latent,
            MaxSteps = steps,
            Epochs = 1000,
            BatchSize = 16,
            LogEveryNSteps = 10,
            Seed = 5,
        }).Fit(SyntheticModes.CreateLabelled(mlContext, 64));
}
