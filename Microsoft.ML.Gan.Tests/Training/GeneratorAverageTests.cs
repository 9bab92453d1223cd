using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.Gan.Tests.TestData;
using Microsoft.ML.Gan.Training;
using NUnit.Framework;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Tests.Training;

[TestFixture]
public class GeneratorAverageTests
{
    private static float[] Weights(nn.Module module)
    {
        using var scope = NewDisposeScope();
        return module.parameters().SelectMany(p => p.detach().cpu().data<float>().ToArray()).ToArray();
    }

    private static void Fill(nn.Module module, float value)
    {
        using var noGrad = no_grad();
        foreach (var parameter in module.parameters())
        {
            parameter.fill_(value);
        }
    }

    [Test]
    public void AverageFollowsTheDecayAfterWarmUpAndRampsItBefore()
    {
        using var module = nn.Linear(3, 2);
        Fill(module, 0);
        using var average = new GeneratorAverage(module, decay: 0.5, warmupSteps: 4);
        Fill(module, 1);

        average.Update(step: 1);            // β = 0.5 · 1/4: 0.125·0 + 0.875·1
        average.Update(step: 8);            // β = 0.5: 0.5·0.875 + 0.5·1
        average.CopyIntoGenerator();
        Assert.That(Weights(module), Has.All.EqualTo(0.9375f));
    }

    [Test]
    public void FittedModelGeneratesFromTheAverageAndKeepsItThroughSaveAndLoad()
    {
        GanTrainer.Options Options(double? decay) => new()
        {
            Architecture = GanArchitecture.Mlp, LatentDimension = 4, BatchSize = 16, MaxSteps = 15, Epochs = 100, Seed = 4, GeneratorEmaDecay = decay,
        };
        var mlContext = new MLContext(seed: 1);
        IDataView data = SyntheticModes.Create(mlContext, 64);
        using GanTransformer plain = mlContext.Gan().Trainers.Gan(Options(null)).Fit(data);
        using GanTransformer averaged = mlContext.Gan().Trainers.Gan(Options(0.9)).Fit(data);
        List<float[]> plainImages = GeneratedImages.ReadGray(plain.Generate(8, seed: 2));
        List<float[]> averagedImages = GeneratedImages.ReadGray(averaged.Generate(8, seed: 2));

        Assert.That(plain.GeneratorEmaDecay, Is.Null);
        Assert.That(averaged.GeneratorEmaDecay, Is.EqualTo(0.9));
        Assert.That(averagedImages, Is.Not.EqualTo(plainImages), "the averaged generator should differ from the last weights");
        Assert.That(averaged.TrainingHistory, Is.EqualTo(plain.TrainingHistory), "the average must not change training itself");

        string path = Path.Combine(Path.GetTempPath(), $"gan-ema-{Guid.NewGuid():N}.zip");
        try
        {
            mlContext.Model.Save(averaged, data.Schema, path);
            using var loaded = (GanTransformer)mlContext.Model.Load(path, out _);
            Assert.That(loaded.GeneratorEmaDecay, Is.EqualTo(0.9));
            Assert.That(GeneratedImages.ReadGray(loaded.Generate(8, seed: 2)), Is.EqualTo(averagedImages));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
