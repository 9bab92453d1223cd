using System;
using System.Collections.Generic;
using Microsoft.ML.Gan.Tests.TestData;
using Microsoft.ML.Gan.Tests.TestSupport;
using NUnit.Framework;
using TorchSharp;

namespace Microsoft.ML.Gan.Tests.Training;

[TestFixture]
public class TrainingDeterminismAndMemoryTests
{
    [Test]
    public void SameSeedTrainsTheSameGenerator()
    {
        List<float[]> first = TrainAndGenerate(seed: 3);
        List<float[]> second = TrainAndGenerate(seed: 3);
        List<float[]> other = TrainAndGenerate(seed: 4);
        Assert.That(second, Is.EqualTo(first));
        Assert.That(other, Is.Not.EqualTo(first));
    }

    [Test]
    public void MlContextSeedMakesRunsReproducibleWithoutAnExplicitSeed()
    {
        static List<float[]> Run()
        {
            var mlContext = new MLContext(seed: 21);
            using GanTransformer model = mlContext.Gan().Trainers.Gan(new GanTrainer.Options { Architecture = GanArchitecture.Mlp, MaxSteps = 5, LatentDimension = 4 })
                .Fit(SyntheticModes.Create(mlContext, 32));
            return GeneratedImages.ReadGray(model.Generate(4, seed: 1));
        }
        Assert.That(Run(), Is.EqualTo(Run()));
    }

    /// <remarks>See <see cref="LiveTensorCount"/> for how a leak shows.</remarks>
    [Test]
    public void LiveTensorCountStaysFlatWhileTraining()
    {
        var mlContext = new MLContext(seed: 1);
        LiveTensorCount.AssertFlatAcrossLogPoints(mlContext, () =>
        {
            using GanTransformer model = mlContext.Gan().Trainers.Gan(new GanTrainer.Options
            {
                Architecture = GanArchitecture.Dcgan, Loss = GanLoss.WassersteinGradientPenalty, LatentDimension = 8, BatchSize = 16,
                MaxSteps = 150, Epochs = 1000, LogEveryNSteps = 50,
            }).Fit(SyntheticModes.Create(mlContext, 64));
        });
    }

    private static List<float[]> TrainAndGenerate(int seed)
    {
        var mlContext = new MLContext();
        using GanTransformer model = mlContext.Gan().Trainers.Gan(new GanTrainer.Options
        {
            Architecture = GanArchitecture.Dcgan, LatentDimension = 8, BatchSize = 16, MaxSteps = 10, Epochs = 100, Seed = seed,
        }).Fit(SyntheticModes.Create(mlContext, 64));
        return GeneratedImages.ReadGray(model.Generate(16, seed: 1));
    }
}
