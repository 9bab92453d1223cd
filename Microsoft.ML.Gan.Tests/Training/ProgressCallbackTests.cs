using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Tests.TestData;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Training;

[TestFixture]
public class ProgressCallbackTests
{
    [Test]
    public void CallbackSeesEveryStepEachEpochEndAndTheLatestLosses()
    {
        var mlContext = new MLContext(seed: 1);
        var calls = new List<(int Step, int Total, int Epoch, int Epochs, bool EpochEnd, GanTrainingRecord? Record)>();
        using GanTransformer model = mlContext.Gan().Trainers.Gan(new GanTrainer.Options
        {
            Architecture = GanArchitecture.Mlp, LatentDimension = 4, BatchSize = 8, Epochs = 3, LogEveryNSteps = 2, Seed = 5,
            ProgressCallback = p => calls.Add((p.Step, p.TotalSteps, p.Epoch, p.Epochs, p.IsEpochEnd, p.LatestRecord)),
        }).Fit(SyntheticModes.Create(mlContext, 32));

        // 32 images in batches of 8: 4 updates per epoch, 12 in all.
        int[] steps = calls.Where(c => !c.EpochEnd).Select(c => c.Step).ToArray();
        Assert.That(steps, Is.EqualTo(Enumerable.Range(1, 12)));
        Assert.That(calls.Where(c => c.EpochEnd).Select(c => (c.Step, c.Epoch)), Is.EqualTo(new[] { (4, 1), (8, 2), (12, 3) }));
        Assert.That(calls.All(c => c.Total == 12 && c.Epochs == 3));
        Assert.That(calls[0].Record, Is.Null);
        Assert.That(calls.Where(c => !c.EpochEnd && c.Step % 2 == 0).Select(c => c.Record!.Step), Is.EqualTo(new[] { 2, 4, 6, 8, 10, 12 }));
        Assert.That(calls[^1].Record, Is.EqualTo(model.TrainingHistory[^1]));
    }

    [Test]
    public void SampleImagesAtTheEndMatchTheFinishedModelsGenerate()
    {
        var mlContext = new MLContext(seed: 1);
        List<float[]>? lastPreview = null;
        List<float[]>? firstPreview = null;
        using GanTransformer model = mlContext.Gan().Trainers.Gan(new GanTrainer.Options
        {
            Architecture = GanArchitecture.Dcgan, LatentDimension = 8, BatchSize = 16, Epochs = 2, Seed = 3,
            ProgressCallback = p =>
            {
                if (!p.IsEpochEnd)
                {
                    return;
                }
                List<float[]> preview = p.SampleImages(3, seed: 9).Select(Gray).ToList();
                firstPreview ??= preview;
                lastPreview = preview;
            },
        }).Fit(SyntheticModes.Create(mlContext, 64));

        Assert.That(lastPreview, Is.EqualTo(GeneratedImages.ReadGray(model.Generate(3, seed: 9))));
        Assert.That(firstPreview, Is.Not.EqualTo(lastPreview), "the first epoch's preview should come from a less trained generator");
    }

    private static float[] Gray(MLImage image)
    {
        using (image)
        {
            return GeneratedImages.ToGray(image);
        }
    }
}
