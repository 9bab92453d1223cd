using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Tests.TestData;
using Microsoft.ML.Gan.Torch;
using NUnit.Framework;
using TorchSharp;

namespace Microsoft.ML.Gan.Tests.Transformers;

[TestFixture]
public class GanTransformerTests
{
    private MLContext _mlContext = null!;
    private GanTransformer _model = null!;

    [OneTimeSetUp]
    public void TrainOnce()
    {
        _mlContext = new MLContext(seed: 1);
        _model = TrainedModels.Dcgan(_mlContext);
    }

    [OneTimeTearDown]
    public void DisposeModel() => _model.Dispose();

    [Test]
    public void TransformAddsAFiniteScorePerRow()
    {
        IDataView scored = _model.Transform(SyntheticModes.Create(_mlContext, 12));
        float[] scores = scored.GetColumn<float>("Score").ToArray();
        Assert.That(scores, Has.Length.EqualTo(12));
        Assert.That(scores, Has.All.Matches<float>(float.IsFinite));
        Assert.That(scores.Distinct().Count(), Is.GreaterThan(1), "every row got the same score");
    }

    [Test]
    public void TransformRejectsImagesOfAnotherSize()
    {
        var rows = new[] { new WideRow { Image = new float[100] } };
        var schema = SchemaDefinition.Create(typeof(WideRow));
        schema[nameof(WideRow.Image)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 1, 10, 10);
        IDataView data = _mlContext.Data.LoadFromEnumerable(rows, schema);
        var error = Assert.Throws(Is.InstanceOf<ArgumentException>(), () => _model.Transform(data));
        Assert.That(((Exception)error!).Message, Does.Contain("Image"));
    }

    [Test]
    public void GenerateIsReproducibleForASeedAndDiffersAcrossSeeds()
    {
        List<float[]> first = GeneratedImages.ReadGray(_model.Generate(20, seed: 11));
        List<float[]> again = GeneratedImages.ReadGray(_model.Generate(20, seed: 11));
        List<float[]> other = GeneratedImages.ReadGray(_model.Generate(20, seed: 12));
        Assert.That(again, Is.EqualTo(first));
        Assert.That(other, Is.Not.EqualTo(first));
    }

    [Test]
    public void GeneratedImageDependsOnlyOnSeedAndIndex()
    {
        List<float[]> many = GeneratedImages.ReadGray(_model.Generate(3000, seed: 4));
        List<float[]> few = GeneratedImages.ReadGray(_model.Generate(5, seed: 4));
        Assert.That(many.Take(5), Is.EqualTo(few));
    }

    [Test]
    public void GenerateCarriesLatentVectorsAndImagesOfTheTrainingSize()
    {
        IDataView generated = _model.Generate(7, seed: 2);
        Assert.That(generated.GetRowCount(), Is.EqualTo(7));
        VBuffer<float>[] latents = generated.GetColumn<VBuffer<float>>("Latent").ToArray();
        Assert.That(latents, Has.Length.EqualTo(7));
        Assert.That(latents.Select(v => v.Length), Has.All.EqualTo(_model.LatentDimension));
        List<float[]> images = GeneratedImages.ReadGray(generated);
        Assert.That(images.Select(i => i.Length), Has.All.EqualTo(SyntheticModes.PixelCount));
        Assert.That(_model.Generate(0).GetColumn<VBuffer<float>>("Latent").Count(), Is.Zero);
    }

    [Test]
    public void GenerateRejectsNegativeCount() =>
        Assert.That(() => _model.Generate(-1), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contain("≥ 0"));

    [Test]
    public void GeneratorTransformerMatchesGenerateThroughPredictionEngine()
    {
        IDataView generated = _model.Generate(3, seed: 9);
        // float[] rather than VBuffer: ML.NET getters reuse the caller's VBuffer, so VBuffers from GetColumn share one array.
        float[][] latents = generated.GetColumn<float[]>("Latent").ToArray();
        List<float[]> expected = GeneratedImages.ReadGray(generated);

        var engine = _mlContext.Model.CreatePredictionEngine<LatentRow, ImageRow>(_model.Generator);
        for (int i = 0; i < latents.Length; i++)
        {
            using MLImage image = engine.Predict(new LatentRow { Latent = latents[i] }).Image;
            Assert.That(GeneratedImages.ToGray(image), Is.EqualTo(expected[i]));
        }
    }

    [Test]
    public void GeneratorRejectsLatentOfTheWrongLength()
    {
        IDataView data = _mlContext.Data.LoadFromEnumerable(new[] { new WideLatentRow { Latent = new float[3] } });
        var error = Assert.Throws(Is.InstanceOf<ArgumentException>(), () => _model.Generator.Transform(data));
        Assert.That(((Exception)error!).Message, Does.Contain("Latent").And.Contain(_model.LatentDimension.ToString()));
    }

    [Test]
    public void ScorePredictionEngineMatchesTransform()
    {
        IDataView data = SyntheticModes.Create(_mlContext, 4);
        float[] expected = _model.Transform(data).GetColumn<float>("Score").ToArray();
        var engine = _mlContext.Model.CreatePredictionEngine<SyntheticModes.Row, ScoreRow>(_model, inputSchemaDefinition: SyntheticModes.Schema(_mlContext));
        SyntheticModes.Row[] rows = _mlContext.Data.CreateEnumerable<SyntheticModes.Row>(data, reuseRowObject: false, schemaDefinition: SyntheticModes.Schema(_mlContext)).ToArray();
        Assert.That(rows.Select(row => engine.Predict(row).Score), Is.EqualTo(expected));
    }

    [Test]
    public void TrainingHistoryHoldsTheFourCurves()
    {
        Assert.That(_model.TrainingHistory.Select(r => r.Step), Is.EqualTo(new[] { 10, 20 }));
        Assert.That(_model.TrainingHistory, Has.All.Matches<GanTrainingRecord>(r =>
            float.IsFinite(r.DiscriminatorLoss) && float.IsFinite(r.GeneratorLoss) && r.RealScore is > 0 and < 1 && r.FakeScore is > 0 and < 1));
    }

    [Test]
    public void GenerationLeavesNoTensorsBehind()
    {
        GeneratedImages.ReadGray(_model.Generate(50, seed: 1));
        long before = torch.Tensor.TotalCount;
        for (int batch = 0; batch < 10; batch++)
        {
            GeneratedImages.ReadGray(_model.Generate(50, seed: batch));
            _model.Transform(SyntheticModes.Create(_mlContext, 4)).GetColumn<float>("Score").ToArray();
        }
        Assert.That(torch.Tensor.TotalCount, Is.EqualTo(before));
    }

    [Test]
    public void DisposedModelGivesObjectDisposedException()
    {
        GanTransformer model = TrainedModels.Dcgan(_mlContext, steps: 1);
        model.Dispose();
        Assert.That(() => GeneratedImages.ReadGray(model.Generate(1, seed: 1)), Throws.InstanceOf<ObjectDisposedException>());
    }

    // The truncation trick: latent values redrawn (not clipped) outside [−t, t], reproducibly per (seed, index).
    private static float[] Latents(IDataView generated) =>
        generated.GetColumn<VBuffer<float>>("Latent").SelectMany(v => v.DenseValues()).ToArray();

    [Test]
    public void TruncatedLatentsFollowTheTruncatedNormal()
    {
        float[] values = Latents(_model.Generate(500, seed: 3, truncation: 1.0));
        Assert.That(values, Has.All.InRange(-1f, 1f));
        // N(0, 1) truncated to [−1, 1] has mean 0 and variance 1 − 2φ(1)/(2Φ(1) − 1) = 0.2911.
        double mean = values.Average(v => (double)v);
        double variance = values.Average(v => (double)v * v) - mean * mean;
        Assert.That(mean, Is.EqualTo(0).Within(0.02));
        Assert.That(variance, Is.EqualTo(0.2911).Within(0.01));
        // Clipping instead of redrawing would pile 32 % of the values onto ±1; the truncated density leaves 0.7 % above 0.99.
        Assert.That(values.Count(v => Math.Abs(v) > 0.99f) / (double)values.Length, Is.LessThan(0.02));
    }

    [Test]
    public void NoTruncationLeavesGenerationAsItWas()
    {
        List<float[]> plain = GeneratedImages.ReadGray(_model.Generate(12, seed: 5));
        Assert.That(GeneratedImages.ReadGray(_model.Generate(12, seed: 5, truncation: null)), Is.EqualTo(plain));
        // A threshold no draw reaches redraws nothing.
        Assert.That(GeneratedImages.ReadGray(_model.Generate(12, seed: 5, truncation: 1e9)), Is.EqualTo(plain));
        Assert.That(GeneratedImages.ReadGray(_model.Generate(12, seed: 5, truncation: 0.5)), Is.Not.EqualTo(plain));
    }

    [Test]
    public void TruncatedGenerationIsReproducibleAndShardable()
    {
        List<float[]> whole = GeneratedImages.ReadGray(_model.Generate(20, seed: 8, truncation: 0.7));
        Assert.That(GeneratedImages.ReadGray(_model.Generate(20, seed: 8, truncation: 0.7)), Is.EqualTo(whole));
        List<float[]> shards = GeneratedImages.ReadGray(_model.Generate(9, seed: 8, startIndex: 0, truncation: 0.7))
            .Concat(GeneratedImages.ReadGray(_model.Generate(11, seed: 8, startIndex: 9, truncation: 0.7)))
            .ToList();
        Assert.That(shards, Is.EqualTo(whole));
    }

    [TestCase(0.0)]
    [TestCase(-1.0)]
    [TestCase(double.NaN)]
    public void NonPositiveThresholdIsRefusedByName(double truncation)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _model.Generate(4, seed: 1, truncation: truncation));
        Assert.That(error!.ParamName, Is.EqualTo("truncation"));
        Assert.That(error.Message, Does.Contain("must be > 0"));
        error = Assert.Throws<ArgumentOutOfRangeException>(() => _model.Generate(4, seed: 1, startIndex: 10, truncation: truncation));
        Assert.That(error!.ParamName, Is.EqualTo("truncation"));
    }

    public sealed class LatentRow
    {
        [VectorType(8)]
        public float[] Latent { get; set; } = Array.Empty<float>();
    }

    public sealed class WideLatentRow
    {
        [VectorType(3)]
        public float[] Latent { get; set; } = Array.Empty<float>();
    }

    public sealed class ImageRow
    {
        [Microsoft.ML.Transforms.Image.ImageType(SyntheticModes.Side, SyntheticModes.Side)]
        public MLImage Image { get; set; } = null!;
    }

    public sealed class ScoreRow
    {
        public float Score { get; set; }
    }

    private sealed class WideRow
    {
        public float[] Image { get; set; } = Array.Empty<float>();
    }
}
