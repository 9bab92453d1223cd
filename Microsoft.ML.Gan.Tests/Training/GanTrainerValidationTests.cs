using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Tests.TestData;
using Microsoft.ML.Transforms.Image;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Training;

/// <summary>Every bad input gets an error that names what is wrong, before any training starts.</summary>
[TestFixture]
public class GanTrainerValidationTests
{
    private MLContext _mlContext = null!;
    private List<string> _log = null!;

    [SetUp]
    public void SetUp()
    {
        _mlContext = new MLContext(seed: 1);
        _log = new List<string>();
        _mlContext.Log += (_, e) => { if (e.Source.StartsWith(nameof(GanTrainer), StringComparison.Ordinal)) { _log.Add(e.RawMessage); } };
    }

    private GanTrainer Trainer(Action<GanTrainer.Options>? configure = null)
    {
        var options = new GanTrainer.Options { Architecture = GanArchitecture.Mlp, MaxSteps = 2, LatentDimension = 4 };
        configure?.Invoke(options);
        return _mlContext.Gan().Trainers.Gan(options);
    }

    private void AssertNoTrainingStarted() =>
        Assert.That(_log.Any(line => line.StartsWith("Training a", StringComparison.Ordinal)), Is.False, "training started before the error");

    [Test]
    public void MissingImageColumnIsNamed()
    {
        var error = Assert.Throws(Is.InstanceOf<ArgumentException>(),
            () => Trainer(o => o.ImageColumnName = "Pixels").Fit(SyntheticModes.Create(_mlContext, 8)));
        Assert.That(((Exception)error!).Message, Does.Contain("Pixels"));
        AssertNoTrainingStarted();
    }

    [Test]
    public void WrongColumnTypeIsNamed()
    {
        IDataView data = _mlContext.Data.LoadFromEnumerable(new[] { new TextRow { Image = "not an image" }, new TextRow { Image = "x" } });
        var error = Assert.Throws(Is.InstanceOf<ArgumentException>(), () => Trainer().Fit(data));
        Assert.That(((Exception)error!).Message, Does.Contain("Image").And.Contain("String"));
        AssertNoTrainingStarted();
    }

    [Test]
    public void VectorWithoutShapeIsRejected()
    {
        IDataView data = _mlContext.Data.LoadFromEnumerable(Enumerable.Range(0, 4).Select(_ => new VectorRow { Image = new float[64] }));
        var error = Assert.Throws(Is.InstanceOf<ArgumentException>(), () => Trainer().Fit(data));
        Assert.That(((Exception)error!).Message, Does.Contain("Image").And.Contain("shape"));
    }

    [Test]
    public void ImagesOfDifferentSizesAreRejected()
    {
        var rows = new[] { new ImageRow { Image = Blank(8, 8) }, new ImageRow { Image = Blank(10, 8) } };
        IDataView data = _mlContext.Data.LoadFromEnumerable(rows);
        var error = Assert.Throws(Is.InstanceOf<InvalidOperationException>(), () => Trainer().Fit(data));
        Assert.That(((Exception)error!).Message, Does.Contain("8x8").Or.Contain("8 x 8").Or.Contain("10"));
        AssertNoTrainingStarted();
    }

    [Test]
    public void EmptyDataIsRejected()
    {
        IDataView empty = SyntheticModes.Create(_mlContext, 0);
        var error = Assert.Throws(Is.InstanceOf<InvalidOperationException>(), () => Trainer().Fit(empty));
        Assert.That(((Exception)error!).Message, Does.Contain("Image"));
        AssertNoTrainingStarted();
    }

    [Test]
    public void SingleImageIsRejected()
    {
        IDataView one = _mlContext.Data.TakeRows(SyntheticModes.Create(_mlContext, 8), 1);
        var error = Assert.Throws<ArgumentException>(() => Trainer().Fit(one));
        Assert.That(error!.Message, Does.Contain("at least 2"));
    }

    [Test]
    public void ImageTooSmallForDcganIsRejected()
    {
        IDataView data = _mlContext.Data.LoadFromEnumerable(new[] { new SmallImageRow { Image = Blank(6, 6) }, new SmallImageRow { Image = Blank(6, 6) } });
        var error = Assert.Throws(Is.InstanceOf<ArgumentException>(), () => Trainer(o => o.Architecture = GanArchitecture.Dcgan).Fit(data));
        Assert.That(((Exception)error!).Message, Does.Contain("Dcgan").And.Contain("6"));
        AssertNoTrainingStarted();
    }

    [TestCase(nameof(GanTrainer.Options.LatentDimension))]
    [TestCase(nameof(GanTrainer.Options.BatchSize))]
    [TestCase(nameof(GanTrainer.Options.DiscriminatorSteps))]
    [TestCase(nameof(GanTrainer.Options.Epochs))]
    public void NonPositiveSizesAreNamed(string option)
    {
        GanTrainer trainer = Trainer(o => typeof(GanTrainer.Options).GetField(option)!.SetValue(o, 0));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Fit(SyntheticModes.Create(_mlContext, 8)));
        Assert.That(error!.ParamName, Is.EqualTo(option));
    }

    [Test]
    public void UndefinedLossIsNamed()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Trainer(o => o.Loss = (GanLoss)42).Fit(SyntheticModes.Create(_mlContext, 8)));
        Assert.That(error!.ParamName, Is.EqualTo(nameof(GanTrainer.Options.Loss)));
    }

    [Test]
    public void GradientPenaltyLossWithoutPenaltyIsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => Trainer(o =>
        {
            o.Loss = GanLoss.WassersteinGradientPenalty;
            o.GradientPenaltyWeight = 0;
        }).Fit(SyntheticModes.Create(_mlContext, 8)));
        Assert.That(error!.Message, Does.Contain("GradientPenaltyWeight"));
    }

    [Test]
    public void DivergingRunStopsWithTheStep()
    {
        GanTrainer trainer = Trainer(o =>
        {
            o.Loss = GanLoss.Wasserstein;
            o.WeightClip = 1e30;
            o.GeneratorLearningRate = 1e30;
            o.DiscriminatorLearningRate = 1e30;
            o.MaxSteps = 200;
        });
        var error = Assert.Throws<GanTrainingDivergedException>(() => trainer.Fit(SyntheticModes.Create(_mlContext, 64)));
        Assert.That(error!.LastStep, Is.InRange(1, 200));
        Assert.That(error.Message, Does.Contain($"generator update {error.LastStep}"));
    }

    [Test]
    public void CancelExecutionStopsTrainingBetweenSteps()
    {
        GanTrainer trainer = Trainer(o =>
        {
            o.MaxSteps = 10_000;
            o.Epochs = 10_000;
            o.LogEveryNSteps = 5;
        });
        _mlContext.Log += (_, e) =>
        {
            if (e.RawMessage.StartsWith("step 5 ", StringComparison.Ordinal))
            {
                _mlContext.Gan().CancelExecution();
            }
        };
        var error = Assert.Throws<OperationCanceledException>(() => trainer.Fit(SyntheticModes.Create(_mlContext, 64)));
        Assert.That(error!.Message, Does.Contain("generator update 5 of 10000"));
    }

    [Test]
    public void EstimatorSchemaAddsScoreAndChecksTheColumn()
    {
        IDataView data = SyntheticModes.Create(_mlContext, 8);
        SchemaShape input = Microsoft.ML.Gan.Persistence.MlNetBridge.ToSchemaShape(data.Schema);
        SchemaShape output = Trainer().GetOutputSchema(input);
        Assert.That(output.Select(column => column.Name), Does.Contain("Score").And.Contain("Image"));
        Assert.Throws(Is.InstanceOf<ArgumentException>(), () => Trainer(o => o.ImageColumnName = "Nope").GetOutputSchema(input));
    }

    private static MLImage Blank(int width, int height) =>
        MLImage.CreateFromPixels(width, height, MLPixelFormat.Bgra32, Enumerable.Repeat((byte)128, width * height * 4).ToArray());

    private sealed class TextRow
    {
        public string Image { get; set; } = string.Empty;
    }

    private sealed class VectorRow
    {
        public float[] Image { get; set; } = Array.Empty<float>();
    }

    private sealed class ImageRow
    {
        [ImageType(8, 8)]
        public MLImage Image { get; set; } = null!;
    }

    private sealed class SmallImageRow
    {
        [ImageType(6, 6)]
        public MLImage Image { get; set; } = null!;
    }
}
