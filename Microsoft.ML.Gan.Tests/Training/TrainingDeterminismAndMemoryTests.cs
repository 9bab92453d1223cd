using System;
using System.Collections.Generic;
using Microsoft.ML.Gan.Tests.TestData;
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

    /// <remarks>
    /// At each log point the count is read before and after a full garbage collection. The collection removes
    /// tensors that earlier code (network construction) left to the finalizer, so the next reading starts clean:
    /// a step that leaks, reachable or not, makes the next reading before collection exceed the last one after it.
    /// </remarks>
    [Test]
    public void LiveTensorCountStaysFlatWhileTraining()
    {
        var mlContext = new MLContext(seed: 1);
        var beforeCollection = new List<long>();
        var afterCollection = new List<long>();
        mlContext.Log += (_, e) =>
        {
            if (e.RawMessage.StartsWith("step ", StringComparison.Ordinal))
            {
                beforeCollection.Add(torch.Tensor.TotalCount);
                GC.Collect();
                GC.WaitForPendingFinalizers();
                afterCollection.Add(torch.Tensor.TotalCount);
            }
        };
        using GanTransformer model = mlContext.Gan().Trainers.Gan(new GanTrainer.Options
        {
            Architecture = GanArchitecture.Dcgan, Loss = GanLoss.WassersteinGradientPenalty, LatentDimension = 8, BatchSize = 16,
            MaxSteps = 150, Epochs = 1000, LogEveryNSteps = 50,
        }).Fit(SyntheticModes.Create(mlContext, 64));

        Assert.That(beforeCollection, Has.Count.EqualTo(3));
        Assert.That(beforeCollection[1], Is.EqualTo(afterCollection[0]), "tensors were created and not disposed between step 50 and step 100");
        Assert.That(beforeCollection[2], Is.EqualTo(afterCollection[1]), "tensors were created and not disposed between step 100 and step 150");
        Assert.That(afterCollection[2], Is.EqualTo(afterCollection[1]), "live tensors grew between step 100 and step 150");
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
