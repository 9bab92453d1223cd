using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Tests.TestData;
using Microsoft.ML.Gan.Torch;
using Microsoft.ML.Transforms.Image;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Transformers;

/// <summary>The fitted O-GAN as a featurizer, encoder, generator and reconstructor, saved and loaded like any ML.NET model.</summary>
[TestFixture]
public class OGanTransformerTests
{
    private MLContext _mlContext = null!;
    private OGanTransformer _model = null!;
    private string _folder = null!;

    public sealed class LabelledRow
    {
        public float[] Image { get; set; } = Array.Empty<float>();

        public uint Label { get; set; }
    }

    public sealed class Prediction
    {
        public uint PredictedLabel { get; set; }
    }

    public sealed class Encoded
    {
        [VectorType(8)]
        public float[] Latent { get; set; } = Array.Empty<float>();
    }

    public sealed class ImageRow
    {
        [ImageType(SyntheticModes.Side, SyntheticModes.Side)]
        public MLImage Image { get; set; } = null!;
    }

    public sealed class InterpolationRow
    {
        [ColumnName("t")]
        public float T { get; set; }

        [ColumnName("z"), VectorType(8)]
        public float[] Z { get; set; } = Array.Empty<float>();

        [ColumnName("picture"), ImageType(SyntheticModes.Side, SyntheticModes.Side)]
        public MLImage Picture { get; set; } = null!;
    }

    internal static OGanTrainer.Options SmallOptions(int steps = 30) => new()
    {
        LatentDimension = 8, MaxSteps = steps, Epochs = 1000, BatchSize = 16, GeneratorLearningRate = 1e-3, DiscriminatorLearningRate = 1e-3, Seed = 5,
    };

    [OneTimeSetUp]
    public void TrainOnce()
    {
        _mlContext = new MLContext(seed: 1);
        _model = _mlContext.Gan().Trainers.OGan(SmallOptions()).Fit(SyntheticModes.Create(_mlContext, 64));
        _folder = Path.Combine(Path.GetTempPath(), "ogan-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [OneTimeTearDown]
    public void Clean()
    {
        _model.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private IDataView Labelled(int count)
    {
        IDataView images = SyntheticModes.Create(_mlContext, count, seed: 21);
        float[][] pixels = images.GetColumn<float[]>("Image").ToArray();
        var rows = pixels.Select((image, i) => new LabelledRow { Image = image, Label = (uint)(i % SyntheticModes.Patterns.Length) });
        SchemaDefinition schema = SchemaDefinition.Create(typeof(LabelledRow));
        schema[nameof(LabelledRow.Image)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 1, SyntheticModes.Side, SyntheticModes.Side);
        return _mlContext.Data.LoadFromEnumerable(rows, schema);
    }

    private static MLImage ToImage(float[] gray)
    {
        var bytes = new byte[gray.Length * 4];
        for (int i = 0; i < gray.Length; i++)
        {
            byte value = (byte)Math.Round(gray[i] * 255);
            bytes[4 * i] = bytes[4 * i + 1] = bytes[4 * i + 2] = value;
            bytes[4 * i + 3] = 255;
        }
        return MLImage.CreateFromPixels(SyntheticModes.Side, SyntheticModes.Side, MLPixelFormat.Bgra32, bytes);
    }

    [Test]
    public void TransformAddsANormalisedLatentOfLatentDimensionAndAScore()
    {
        IDataView encoded = _model.Transform(SyntheticModes.Create(_mlContext, 10));
        Assert.That(encoded.Schema["Latent"].Type, Is.EqualTo(new VectorDataViewType(NumberDataViewType.Single, 8)));
        float[][] latents = encoded.GetColumn<float[]>("Latent").ToArray();
        float[] scores = encoded.GetColumn<float>("Score").ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(latents.Select(l => l.Average()), Has.All.EqualTo(0).Within(1e-4), "N(E(x)) has mean 0");
            Assert.That(latents.Select(l => Math.Sqrt(l.Average(v => v * v))), Has.All.EqualTo(1).Within(1e-3), "N(E(x)) has std 1");
            Assert.That(scores, Has.All.Matches<float>(float.IsFinite));
            Assert.That(latents.Select(l => string.Join(",", l)).Distinct().Count(), Is.GreaterThan(1));
        });
    }

    [Test]
    public void EncoderGivesTheTransformsLatentAlsoThroughPredictionEngine()
    {
        IDataView data = SyntheticModes.Create(_mlContext, 6);
        float[][] fromModel = _model.Transform(data).GetColumn<float[]>("Latent").ToArray();
        float[][] fromEncoder = _model.Encoder.Transform(data).GetColumn<float[]>("Latent").ToArray();
        Assert.That(fromEncoder, Is.EqualTo(fromModel));
        Assert.That(_model.Encoder.Transform(data).Schema.GetColumnOrNull("Score"), Is.Null, "the encoder adds only Latent");

        var engine = _mlContext.Model.CreatePredictionEngine<SyntheticModes.Row, Encoded>(_model.Encoder, inputSchemaDefinition: SyntheticModes.Schema(_mlContext));
        float[] first = data.GetColumn<float[]>("Image").First();
        Assert.That(engine.Predict(new SyntheticModes.Row { Image = first }).Latent, Is.EqualTo(fromModel[0]).Within(1e-6));
    }

    [Test]
    public void SavedAndLoadedModelEncodesScoresAndGeneratesIdentically()
    {
        IDataView data = SyntheticModes.Create(_mlContext, 8);
        string path = Path.Combine(_folder, "ogan.zip");
        _mlContext.Model.Save(_model, data.Schema, path);
        var context = new MLContext(seed: 9);
        context.Gan();
        using var loaded = (OGanTransformer)context.Model.Load(path, out _);
        Assert.Multiple(() =>
        {
            Assert.That(loaded.Transform(data).GetColumn<float[]>("Latent").ToArray(), Is.EqualTo(_model.Transform(data).GetColumn<float[]>("Latent").ToArray()));
            Assert.That(loaded.Transform(data).GetColumn<float>("Score").ToArray(), Is.EqualTo(_model.Transform(data).GetColumn<float>("Score").ToArray()));
            Assert.That(GeneratedImages.ReadGray(loaded.Generate(5, seed: 3)), Is.EqualTo(GeneratedImages.ReadGray(_model.Generate(5, seed: 3))));
            Assert.That(GeneratedImages.ReadGray(loaded.Generate(5, seed: 3, startIndex: 2, truncation: 0.8)),
                Is.EqualTo(GeneratedImages.ReadGray(_model.Generate(7, seed: 3, truncation: 0.8)).Skip(2)));
            Assert.That((loaded.LatentDimension, loaded.Loss, loaded.UsesScoreHead), Is.EqualTo((8, GanLoss.GanQp, false)));
        });
    }

    [Test]
    public void EncoderSavesAndLoadsOnItsOwn()
    {
        IDataView data = SyntheticModes.Create(_mlContext, 5);
        string path = Path.Combine(_folder, "encoder.zip");
        _mlContext.Model.Save(_model.Encoder, data.Schema, path);
        var context = new MLContext(seed: 9);
        context.Gan();
        using var loaded = (OGanEncoderTransformer)context.Model.Load(path, out _);
        Assert.That(loaded.Transform(data).GetColumn<float[]>("Latent").ToArray(), Is.EqualTo(_model.Transform(data).GetColumn<float[]>("Latent").ToArray()));
    }

    [Test]
    public void PipelineWithSdcaOnLatentFitsSavesLoadsAndPredicts()
    {
        IDataView data = Labelled(128);
        var pipeline = _mlContext.Transforms.Conversion.MapValueToKey("Label")
            .Append(_mlContext.Gan().Trainers.OGan(SmallOptions(steps: 20)))
            .AppendCacheCheckpoint(_mlContext)
            .Append(_mlContext.MulticlassClassification.Trainers.SdcaMaximumEntropy("Label", "Latent", maximumNumberOfIterations: 20))
            .Append(_mlContext.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        var fitted = pipeline.Fit(data);
        string path = Path.Combine(_folder, "pipeline.zip");
        _mlContext.Model.Save(fitted, data.Schema, path);

        var context = new MLContext(seed: 9);
        context.Gan();
        ITransformer loaded = context.Model.Load(path, out _);
        var engine = context.Model.CreatePredictionEngine<LabelledRow, Prediction>(loaded, inputSchemaDefinition: SchemaOf(data));
        LabelledRow[] rows = context.Data.CreateEnumerable<LabelledRow>(data, reuseRowObject: false).ToArray();
        uint[] predicted = rows.Select(row => engine.Predict(row).PredictedLabel).ToArray();
        uint[] original = fitted.Transform(data).GetColumn<uint>("PredictedLabel").ToArray();

        Assert.That(predicted, Is.EqualTo(original));
        double accuracy = predicted.Zip(rows).Count(pair => pair.First == pair.Second.Label) / (double)rows.Length;
        Assert.That(accuracy, Is.GreaterThan(0.5), "four well-separated patterns should be told apart from their codes");
        (fitted.OfType<OGanTransformer>().Single() as IDisposable).Dispose();
    }

    private static SchemaDefinition SchemaOf(IDataView data)
    {
        SchemaDefinition schema = SchemaDefinition.Create(typeof(LabelledRow));
        schema[nameof(LabelledRow.Image)].ColumnType = data.Schema["Image"].Type;
        return schema;
    }

    [Test]
    public void ReconstructAddsAnImageOfTheTrainingSizePerRow()
    {
        List<float[]> images = GeneratedImages.ReadGray(_model.Reconstruct(SyntheticModes.Create(_mlContext, 6)), "Reconstruction");
        Assert.That(images, Has.Count.EqualTo(6));
        Assert.That(images.Select(i => i.Length), Has.All.EqualTo(SyntheticModes.PixelCount));
    }

    [Test]
    public void InterpolationRunsFromTheFirstImagesCodeToTheLastOnes()
    {
        using MLImage a = ToImage(SyntheticModes.Patterns[0]), b = ToImage(SyntheticModes.Patterns[1]), c = ToImage(SyntheticModes.Patterns[2]);
        float[][] ab = _model.Interpolate(a, b, 5).Select(Gray).ToArray();
        float[][] ac = _model.Interpolate(a, c, 3).Select(Gray).ToArray();
        float[][] ba = _model.Interpolate(b, a, 2).Select(Gray).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(ab, Has.Length.EqualTo(5));
            Assert.That(ab[0], Is.EqualTo(ac[0]), "α = 0 is G(N(E(from)))");
            Assert.That(ab[4], Is.EqualTo(ba[0]), "α = 1 is G(N(E(to)))");
            Assert.That(ab[2], Is.Not.EqualTo(ab[0]).And.Not.EqualTo(ab[4]));
        });
    }

    private static float[] Gray(MLImage image)
    {
        using (image)
        {
            return GeneratedImages.ToGray(image);
        }
    }

    [Test]
    public void InterpolationView_HoldsAlphaAndTheMixedCodes_AndTheListFormsImages()
    {
        using MLImage a = ToImage(SyntheticModes.Patterns[0]), b = ToImage(SyntheticModes.Patterns[1]);
        IDataView view = _model.GenerateInterpolation(a, b, 5);
        float[][] listed = _model.Interpolate(a, b, 5).Select(Gray).ToArray();
        float[][] codes = _model.Transform(_mlContext.Data.LoadFromEnumerable(new[] { new ImageRow { Image = a }, new ImageRow { Image = b } }))
            .GetColumn<float[]>("Latent").ToArray();
        float[][] latents = view.GetColumn<float[]>("Latent").ToArray();

        Assert.That(view.Schema.Select(column => column.Name), Is.EqualTo(new[] { "Alpha", "Latent", "Image" }));
        Assert.That(view.GetRowCount(), Is.EqualTo(5));
        Assert.That(view.GetColumn<float>("Alpha").ToArray(), Is.EqualTo(new[] { 0f, 0.25f, 0.5f, 0.75f, 1f }));
        Assert.That(latents[0], Is.EqualTo(codes[0]).Within(1e-5), "α = 0 is N(E(from))");
        Assert.That(latents[4], Is.EqualTo(codes[1]).Within(1e-5), "α = 1 is N(E(to))");
        Assert.That(latents[2], Is.EqualTo(latents[0].Zip(latents[4], (x, y) => (x + y) / 2)).Within(1e-6), "α = 0.5 is the midpoint");
        Assert.That(GeneratedImages.ReadGray(view), Is.EqualTo(listed));
    }

    [Test]
    public void InterpolationView_TakesColumnNames_ThatCreateEnumerableReads()
    {
        using MLImage a = ToImage(SyntheticModes.Patterns[2]), b = ToImage(SyntheticModes.Patterns[3]);
        IDataView view = _model.GenerateInterpolation(a, b, 3, alphaColumnName: "t", latentColumnName: "z", imageColumnName: "picture");
        List<InterpolationRow> rows = _mlContext.Data.CreateEnumerable<InterpolationRow>(view, reuseRowObject: false).ToList();
        float[][] listed = _model.Interpolate(a, b, 3).Select(Gray).ToArray();

        Assert.That(view.Schema.Select(column => column.Name), Is.EqualTo(new[] { "t", "z", "picture" }));
        Assert.That(rows.Select(row => row.T), Is.EqualTo(new[] { 0f, 0.5f, 1f }));
        Assert.That(rows.Select(row => row.Z), Is.EqualTo(_model.GenerateInterpolation(a, b, 3).GetColumn<float[]>("Latent").ToArray()));
        Assert.That(rows.Select(row => Gray(row.Picture)), Is.EqualTo(listed));
    }

    [TestCase("", "Latent", "Image", "alphaColumnName")]
    [TestCase("Alpha", null, "Image", "latentColumnName")]
    [TestCase("Alpha", "Latent", "Alpha", "imageColumnName")]
    [TestCase("Alpha", "Image", "Image", "imageColumnName")]
    public void InterpolationView_RefusesBadNamesNamingTheParameter(string alpha, string? latent, string image, string parameter)
    {
        using MLImage a = ToImage(SyntheticModes.Patterns[0]);
        var error = Assert.Throws<ArgumentException>(() => _model.GenerateInterpolation(a, a, 3, alpha, latent!, image));
        Assert.That(error!.ParamName, Is.EqualTo(parameter));
    }

    [Test]
    public void InterpolationRejectsAnImageOfAnotherSizeAndTooFewSteps()
    {
        using MLImage small = MLImage.CreateFromPixels(4, 4, MLPixelFormat.Bgra32, new byte[64]);
        using MLImage right = ToImage(SyntheticModes.Patterns[0]);
        var error = Assert.Throws<ArgumentException>(() => _model.Interpolate(right, small, 3));
        Assert.That(error!.Message, Does.Contain("4x4").And.Contain("8x8"));
        Assert.Throws<ArgumentOutOfRangeException>(() => _model.Interpolate(right, right, 1));
        Assert.That(Assert.Throws<ArgumentException>(() => _model.GenerateInterpolation(small, right, 3))!.ParamName, Is.EqualTo("from"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => _model.GenerateInterpolation(right, right, 1))!.ParamName, Is.EqualTo("steps"));
    }

    [Test]
    public void MeanCorrelationIsAProperCorrelation() =>
        Assert.That(_model.MeanCorrelation(200, seed: 1), Is.InRange(-1.0, 1.0));

    [Test]
    public void PlainGanTrainerRejectsGanQpNamingTheOGanTrainer()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            _mlContext.Gan().Trainers.Gan(new GanTrainer.Options { Loss = GanLoss.GanQp }).Fit(SyntheticModes.Create(_mlContext, 8)));
        Assert.That(error!.Message, Does.Contain("GanQp").And.Contain("OGan"));
    }

    [TestCase(nameof(OGanTrainer.Options.CorrelationWeight))]
    [TestCase(nameof(OGanTrainer.Options.GeneratorCorrelationWeight))]
    [TestCase(nameof(OGanTrainer.Options.QuadraticPotentialWeight))]
    [TestCase(nameof(OGanTrainer.Options.LatentDimension))]
    public void InvalidOGanOptionIsNamedBeforeTraining(string option)
    {
        OGanTrainer.Options options = SmallOptions();
        switch (option)
        {
            case nameof(OGanTrainer.Options.CorrelationWeight): options.CorrelationWeight = -1; break;
            case nameof(OGanTrainer.Options.GeneratorCorrelationWeight): options.GeneratorCorrelationWeight = double.NaN; break;
            case nameof(OGanTrainer.Options.QuadraticPotentialWeight): options.QuadraticPotentialWeight = 0; break;
            default: options.LatentDimension = 2; break;
        }
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _mlContext.Gan().Trainers.OGan(options).Fit(SyntheticModes.Create(_mlContext, 8)));
        Assert.That(error!.ParamName, Is.EqualTo(option));
    }

    [Test]
    public void DisposedModelRefusesToEncode()
    {
        OGanTransformer model = _mlContext.Gan().Trainers.OGan(SmallOptions(steps: 1)).Fit(SyntheticModes.Create(_mlContext, 16));
        model.Dispose();
        Assert.Throws<ObjectDisposedException>(() => model.Encoder.Transform(SyntheticModes.Create(_mlContext, 2)).GetColumn<float[]>("Latent").ToArray());
    }
}
