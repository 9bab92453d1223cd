using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Data;
using Microsoft.ML.Gan.Networks;
using Microsoft.ML.Gan.Tests.TestData;
using Microsoft.ML.Gan.Tests.Training.Checkpoints;
using Microsoft.ML.Gan.Training.Checkpoints;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Training;

/// <summary>
/// <see cref="GanArchitecture.ResNet"/> through every trainer: trained, saved and loaded, resumed exactly from a
/// checkpoint, always spectrally normalised in D, and refused for image sizes it cannot build before any data is read.
/// </summary>
[TestFixture]
public class ResNetTrainingTests
{
    private MLContext _mlContext = null!;
    private string _folder = null!;

    [SetUp]
    public void SetUp()
    {
        _mlContext = new MLContext(seed: 1);
        _folder = Path.Combine(Path.GetTempPath(), "gan-resnet-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private static T Small<T>(T options, int steps = 3) where T : GanTrainer.Options
    {
        options.Architecture = GanArchitecture.ResNet;
        options.LatentDimension = 8;
        options.BatchSize = 8;
        options.Epochs = 100;
        options.MaxSteps = steps;
        options.LogEveryNSteps = 1;
        options.Seed = 3;
        return options;
    }

    [Test]
    public void GanTrainsAndRoundTripsThroughModelSaveAndLoadModel()
    {
        IDataView data = UpscaledModes.Create(_mlContext, 32);
        using GanTransformer model = _mlContext.Gan().Trainers.Gan(Small(new GanTrainer.Options())).Fit(data);
        Assert.That((model.Architecture, model.ImageChannels, model.ImageHeight, model.ImageWidth), Is.EqualTo((GanArchitecture.ResNet, 1, 16, 16)));
        Assert.That(model.TrainingHistory.Select(r => r.Step), Is.EqualTo(new[] { 1, 2, 3 }));
        Assert.That(model.TrainingHistory.All(r => float.IsFinite(r.DiscriminatorLoss) && float.IsFinite(r.GeneratorLoss)), Is.True);
        string path = Path.Combine(_folder, "resnet.zip");
        _mlContext.Model.Save(model, data.Schema, path);

        var fresh = new MLContext(seed: 9);
        fresh.Gan();
        using var loaded = (GanTransformer)fresh.Model.Load(path, out _);
        using GanTransformer documented = new MLContext(seed: 10).Gan().LoadModel<GanTransformer>(path);

        List<float[]> expected = GeneratedImages.ReadGray(model.Generate(6, seed: 4));
        Assert.That(expected.Select(image => image.Length), Is.All.EqualTo(16 * 16));
        Assert.That(GeneratedImages.ReadGray(loaded.Generate(6, seed: 4)), Is.EqualTo(expected));
        Assert.That(GeneratedImages.ReadGray(documented.Generate(6, seed: 4)), Is.EqualTo(expected));
        float[] scores = model.Transform(data).GetColumn<float>("Score").ToArray();
        Assert.That(loaded.Transform(data).GetColumn<float>("Score").ToArray(), Is.EqualTo(scores));
        Assert.That(documented.Architecture, Is.EqualTo(GanArchitecture.ResNet));
    }

    [Test]
    public void StoppedAndResumedRunEndsIdenticalToAnUninterruptedOne()
    {
        GanTrainer.Options Options(string directory, int steps)
        {
            GanTrainer.Options options = Small(new GanTrainer.Options(), steps);
            options.LogEveryNSteps = 2;
            options.CheckpointDirectory = directory;
            options.CheckpointEveryNSteps = 100;
            options.GeneratorEmaDecay = 0.9;
            return options;
        }
        string whole = Path.Combine(_folder, "whole"), parts = Path.Combine(_folder, "parts");
        (List<float[]> images, IReadOnlyList<GanTrainingRecord> history) expected = Train(Options(whole, 6));

        Train(Options(parts, 4));
        GanTrainer.Options rest = Options(parts, 6);
        rest.ResumeFrom = CheckpointResumeTests.Newest(parts);
        (List<float[]> images, IReadOnlyList<GanTrainingRecord> history) actual = Train(rest);

        Assert.That(CheckpointFile.Read(CheckpointResumeTests.Newest(parts)), Is.EqualTo(CheckpointFile.Read(CheckpointResumeTests.Newest(whole))));
        Assert.That(actual.images, Is.EqualTo(expected.images));
        Assert.That(actual.history, Is.EqualTo(expected.history));
    }

    [Test]
    public void ResumingWithAnotherArchitectureIsRefused()
    {
        string directory = Path.Combine(_folder, "run");
        GanTrainer.Options first = Small(new GanTrainer.Options(), 2);
        first.CheckpointDirectory = directory;
        Train(first);

        GanTrainer.Options dcgan = Small(new GanTrainer.Options(), 4);
        dcgan.Architecture = GanArchitecture.Dcgan;
        dcgan.CheckpointDirectory = directory;
        dcgan.ResumeFrom = directory;
        var error = Assert.Throws(Is.InstanceOf<ArgumentException>(), () => Train(dcgan));
        Assert.That(((Exception)error!).Message, Does.Contain("Architecture").And.Contain("ResNet").And.Contain("Dcgan"));
    }

    // ResNet's discriminator is spectrally normalised by design: SpectralNormalization = false (the default) changes nothing,
    // so Wasserstein gets no weight clipping and the checkpoint settings of both spellings agree.
    [Test]
    public void DiscriminatorIsSpectrallyNormalisedWhateverTheOption()
    {
        var off = new GanTrainer.Options { Architecture = GanArchitecture.ResNet, Loss = GanLoss.Wasserstein };
        var on = new GanTrainer.Options { Architecture = GanArchitecture.ResNet, Loss = GanLoss.Wasserstein, SpectralNormalization = true };

        NetworkSpec spec = GanTrainer.CreateSpec(off, new ImageShape(3, 32, 32));
        Assert.That((spec.SpectralNormalization, spec.DiscriminatorBatchNorm), Is.EqualTo((true, false)));
        Assert.That(off.EffectiveWeightClip, Is.Null);
        Assert.That(off.ResumeSettings(), Is.EqualTo(on.ResumeSettings()));
        Assert.That(off.Describe().Single(line => line.Contains("spectral norm", StringComparison.Ordinal)), Does.Contain("spectral norm True"));
    }

    [Test]
    public void ConditionalGanTrainsWithResNetAndRoundTrips()
    {
        IDataView data = UpscaledModes.Create(_mlContext, 32);
        using ConditionalGanTransformer model = _mlContext.Gan().Trainers.ConditionalGan(Small(new ConditionalGanTrainer.Options())).Fit(data);
        Assert.That(model.Architecture, Is.EqualTo(GanArchitecture.ResNet));
        List<float[]> expected = GeneratedImages.ReadGray(model.Generate(4, "checker", seed: 2));
        Assert.That(expected.Select(image => image.Length), Is.All.EqualTo(16 * 16));

        string path = Path.Combine(_folder, "conditional.zip");
        _mlContext.Model.Save(model, data.Schema, path);
        using ConditionalGanTransformer loaded = new MLContext(seed: 4).Gan().LoadModel<ConditionalGanTransformer>(path);
        Assert.That(GeneratedImages.ReadGray(loaded.Generate(4, "checker", seed: 2)), Is.EqualTo(expected));
    }

    [Test]
    public void OGanTrainsWithAResNetEncoderAndRoundTrips()
    {
        IDataView data = UpscaledModes.Create(_mlContext, 32);
        using OGanTransformer model = _mlContext.Gan().Trainers.OGan(Small(new OGanTrainer.Options())).Fit(data);
        Assert.That(model.Architecture, Is.EqualTo(GanArchitecture.ResNet));
        float[][] latents = model.Transform(data).GetColumn<float[]>("Latent").ToArray();
        Assert.That(latents.Select(latent => latent.Length), Is.All.EqualTo(8));

        string path = Path.Combine(_folder, "ogan.zip");
        _mlContext.Model.Save(model, data.Schema, path);
        using OGanTransformer loaded = new MLContext(seed: 4).Gan().LoadModel<OGanTransformer>(path);
        Assert.That(loaded.Transform(data).GetColumn<float[]>("Latent").ToArray(), Is.EqualTo(latents));
    }

    private static IEnumerable<TestCaseData> TrainersOfUnbuildableSizes()
    {
        foreach (int side in new[] { 30, 100, 8 })
        {
            yield return new TestCaseData("gan", side);
            yield return new TestCaseData("conditional", side);
            yield return new TestCaseData("ogan", side);
        }
    }

    // The rows throw when enumerated: the error must come from the column's type alone, before the data is read.
    [TestCaseSource(nameof(TrainersOfUnbuildableSizes))]
    public void UnbuildableSizeIsRefusedBeforeAnyDataIsRead(string trainer, int side)
    {
        IDataView unreadable = UpscaledModes.View(_mlContext, Unreadable(), side);
        Action fit = trainer switch
        {
            "conditional" => () => _mlContext.Gan().Trainers.ConditionalGan(Small(new ConditionalGanTrainer.Options())).Fit(unreadable).Dispose(),
            "ogan" => () => _mlContext.Gan().Trainers.OGan(Small(new OGanTrainer.Options())).Fit(unreadable).Dispose(),
            _ => () => _mlContext.Gan().Trainers.Gan(Small(new GanTrainer.Options())).Fit(unreadable).Dispose(),
        };

        var error = Assert.Throws<ArgumentException>(() => fit())!;
        Assert.That(error.ParamName, Is.EqualTo(nameof(GanTrainer.Options.Architecture)));
        Assert.That(error.Message, Does.Contain("Column 'Image': ResNet").And.Contain($"got 1x{side}x{side}").And.Contain("28, 32"));
    }

    private static IEnumerable<UpscaledModes.Row> Unreadable()
    {
        throw new InvalidOperationException("The training data was read before the image size was checked.");
#pragma warning disable CS0162 // an iterator: the throw above runs only when the rows are enumerated
        yield break;
#pragma warning restore CS0162
    }

    private static (List<float[]> Images, IReadOnlyList<GanTrainingRecord> History) Train(GanTrainer.Options options)
    {
        var mlContext = new MLContext(seed: 1);
        using GanTransformer model = mlContext.Gan().Trainers.Gan(options).Fit(UpscaledModes.Create(mlContext, 24));
        return (GeneratedImages.ReadGray(model.Generate(8, seed: 3)), model.TrainingHistory);
    }
}
