using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Persistence;
using Microsoft.ML.Gan.Torch;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Features;

/// <summary>The discriminator featurizer: its width, its values, its statistics, and its life as an ML.NET transformer.</summary>
[TestFixture]
public class DiscriminatorFeaturesTests
{
    private MLContext _mlContext = null!;
    private string _folder = null!;

    private static string[] Kinds => FeaturizedModels.Kinds;

    public sealed class FeaturesRow
    {
        [VectorType(3072)]
        public float[] Features { get; set; } = Array.Empty<float>();
    }

    [SetUp]
    public void CreateContext()
    {
        _mlContext = new MLContext(seed: 1);
        _folder = Path.Combine(Path.GetTempPath(), "features-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void Clean() => Directory.Delete(_folder, recursive: true);

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(4)]
    public void FeatureCountIsTheSumOverLayersOfChannelsTimesTheGridSquared(int grid)
    {
        using GanTransformerBase gan = FeaturizedModels.Create(_mlContext, "Gan");
        IDataView images = FeaturizedModels.Images(_mlContext, 4);

        using DiscriminatorFeaturesTransformer featurizer = _mlContext.Gan().Transforms.DiscriminatorFeatures(gan, gridSize: grid).Fit(images);

        Assert.That(featurizer.LayerChannels, Is.EqualTo(new[] { 64, 128 }));
        Assert.That(featurizer.FeatureCount, Is.EqualTo((64 + 128) * grid * grid));
        Assert.That(featurizer.Transform(images).Schema["Features"].Type,
            Is.EqualTo(new VectorDataViewType(NumberDataViewType.Single, (64 + 128) * grid * grid)));
    }

    [TestCaseSource(nameof(Kinds))]
    public void ResNetFeaturesAreEachResidualBlocksActivatedOutputMaxPooled(string kind)
    {
        // The features' definition, computed both ways with libtorch's own convolutions: oneDNN's are wrong on some CPUs (OneDnnConvolutions).
        using var kernels = OneDnnConvolutions.Scope(force: true);
        using GanTransformerBase gan = FeaturizedModels.Create(_mlContext, kind, GanArchitecture.ResNet);
        IDataView images = _mlContext.Transforms.DropColumns("Label").Fit(FeaturizedModels.Images(_mlContext, 3)).Transform(FeaturizedModels.Images(_mlContext, 3));

        using DiscriminatorFeaturesTransformer featurizer = _mlContext.Gan().Transforms.DiscriminatorFeatures(gan, gridSize: 2, normalize: false).Fit(images);
        float[][] features = featurizer.Transform(images).GetColumn<float[]>("Features").ToArray();
        float[][] pixels = images.GetColumn<float[]>("Image").ToArray();

        Assert.That(featurizer.LayerChannels, Has.Count.EqualTo(2), "a 16 px ResNet discriminator has two residual blocks");
        Assert.That(featurizer.FeatureCount, Is.EqualTo(featurizer.LayerChannels.Sum() * 2 * 2));
        for (int row = 0; row < pixels.Length; row++)
        {
            float[] expected = FeaturizedModels.DirectResNet(FeaturizedModels.ImagePath(gan), pixels[row], 2);
            Assert.That(features[row], Is.EqualTo(expected).Within(1e-5), $"{kind}, row {row}");
        }
    }

    [TestCaseSource(nameof(Kinds))]
    public void FeaturesEqualTheImagePathsLayersMaxPooledOneByOne(string kind)
    {
        using GanTransformerBase gan = FeaturizedModels.Create(_mlContext, kind);
        // No Label column: the conditional model's features come from its image path alone.
        IDataView images = _mlContext.Transforms.DropColumns("Label").Fit(FeaturizedModels.Images(_mlContext, 3)).Transform(FeaturizedModels.Images(_mlContext, 3));

        foreach (int grid in new[] { 2, 4, 6 })
        {
            using DiscriminatorFeaturesTransformer featurizer = _mlContext.Gan().Transforms.DiscriminatorFeatures(gan, gridSize: grid, normalize: false).Fit(images);
            float[][] features = featurizer.Transform(images).GetColumn<float[]>("Features").ToArray();
            float[][] pixels = images.GetColumn<float[]>("Image").ToArray();

            for (int row = 0; row < pixels.Length; row++)
            {
                float[] expected = FeaturizedModels.Direct(FeaturizedModels.ImagePath(gan), pixels[row], grid);
                Assert.That(features[row], Is.EqualTo(expected).Within(1e-5), $"{kind}, grid {grid}, row {row}");
            }
            Assert.That(featurizer.SourceModel, Is.EqualTo(gan.GetType().Name));
        }
    }

    [Test]
    public void FitLearnsEachFeaturesMeanAndDeviationAndTransformStandardisesWithThem()
    {
        using GanTransformerBase gan = FeaturizedModels.Create(_mlContext, "Gan");
        IDataView images = FeaturizedModels.Images(_mlContext, 150);
        using DiscriminatorFeaturesTransformer raw = _mlContext.Gan().Transforms.DiscriminatorFeatures(gan, normalize: false).Fit(images);
        // Batches of 64 over 150 rows: the statistics are merged across batches, the last one short.
        var options = new DiscriminatorFeaturesEstimator.Options { BatchSize = 64 };
        using DiscriminatorFeaturesTransformer standardised = _mlContext.Gan().Transforms.DiscriminatorFeatures(gan, options).Fit(images);

        float[][] rawFeatures = raw.Transform(images).GetColumn<float[]>("Features").ToArray();
        var means = new double[raw.FeatureCount];
        var deviations = new double[raw.FeatureCount];
        foreach (float[] row in rawFeatures)
        {
            for (int i = 0; i < means.Length; i++)
            {
                means[i] += row[i] / (double)rawFeatures.Length;
            }
        }
        foreach (float[] row in rawFeatures)
        {
            for (int i = 0; i < means.Length; i++)
            {
                deviations[i] += (row[i] - means[i]) * (row[i] - means[i]) / rawFeatures.Length;
            }
        }
        deviations = deviations.Select(Math.Sqrt).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(raw.IsNormalized, Is.False);
            Assert.That(raw.Means, Is.Empty);
            Assert.That(standardised.IsNormalized, Is.True);
            Assert.That(standardised.Means.Select(m => (double)m), Is.EqualTo(means).Within(1e-5));
            Assert.That(standardised.StandardDeviations.Select(d => (double)d), Is.EqualTo(deviations).Within(1e-5));
        });

        float[][] features = standardised.Transform(images).GetColumn<float[]>("Features").ToArray();
        int varying = Enumerable.Range(0, raw.FeatureCount).First(i => deviations[i] > 1e-3);
        Assert.That(features.Average(row => row[varying]), Is.EqualTo(0).Within(1e-4));
        Assert.That(Math.Sqrt(features.Average(row => row[varying] * row[varying])), Is.EqualTo(1).Within(1e-3));
        Assert.That(features[5][varying], Is.EqualTo((rawFeatures[5][varying] - means[varying]) / deviations[varying]).Within(1e-4));
    }

    [TestCaseSource(nameof(Kinds))]
    public void SavedAloneAndLoadedInAFreshContextItGivesTheSameFeaturesAndStatistics(string kind)
    {
        IDataView images = FeaturizedModels.Images(_mlContext, 20);
        string path = Path.Combine(_folder, "features.zip");
        float[][] before;
        float[] means;
        using (GanTransformerBase gan = FeaturizedModels.Create(_mlContext, kind))
        using (DiscriminatorFeaturesTransformer featurizer = _mlContext.Gan().Transforms.DiscriminatorFeatures(gan, outputColumnName: "Pooled").Fit(images))
        {
            before = featurizer.Transform(images).GetColumn<float[]>("Pooled").ToArray();
            means = featurizer.Means.ToArray();
            _mlContext.Model.Save(featurizer, images.Schema, path);
        }

        var fresh = new MLContext(seed: 5);
        fresh.Gan();
        using var loaded = (DiscriminatorFeaturesTransformer)fresh.Model.Load(path, out DataViewSchema schema);

        Assert.Multiple(() =>
        {
            Assert.That(loaded.Transform(images).GetColumn<float[]>("Pooled").ToArray(), Is.EqualTo(before));
            Assert.That(loaded.Means, Is.EqualTo(means));
            Assert.That(loaded.OutputColumnName, Is.EqualTo("Pooled"));
            Assert.That(loaded.InputColumnName, Is.EqualTo("Image"));
            Assert.That(loaded.GridSize, Is.EqualTo(4));
            Assert.That(loaded.SourceModel, Is.EqualTo(new[] { "GanTransformer", "ConditionalGanTransformer", "OGanTransformer" }[Array.IndexOf(Kinds, kind)]));
            Assert.That(schema["Image"].Type, Is.EqualTo(images.Schema["Image"].Type));
        });
    }

    [Test]
    public void InAChainBeforeAnMlNetTrainerItSavesAndLoadsWithTheChainAndPredictsTheSame()
    {
        IDataView images = FeaturizedModels.Images(_mlContext, 60);
        string path = Path.Combine(_folder, "chain.zip");
        float[][] features;
        uint[] predicted;
        float[][] scores;
        using (GanTransformerBase gan = FeaturizedModels.Create(_mlContext, "OGan"))
        {
            var pipeline = _mlContext.Gan().Transforms.DiscriminatorFeatures(gan, gridSize: 1)
                .AppendCacheCheckpoint(_mlContext)   // SDCA reads the data many times in shuffled order, row by row: featurize once
                .Append(_mlContext.MulticlassClassification.Trainers.SdcaMaximumEntropy("Label", "Features", maximumNumberOfIterations: 5));
            var model = pipeline.Fit(images);
            IDataView scored = model.Transform(images);
            features = scored.GetColumn<float[]>("Features").ToArray();
            predicted = scored.GetColumn<uint>("PredictedLabel").ToArray();
            scores = scored.GetColumn<float[]>("Score").ToArray();
            _mlContext.Model.Save(model, images.Schema, path);
            ((IDisposable)model.First()).Dispose();
        }

        var fresh = new MLContext(seed: 5);
        ITransformer loaded = fresh.Gan().LoadModel(path, out _);
        IDataView reloaded = loaded.Transform(images);
        Assert.Multiple(() =>
        {
            Assert.That(reloaded.GetColumn<float[]>("Features").ToArray(), Is.EqualTo(features));
            Assert.That(reloaded.GetColumn<uint>("PredictedLabel").ToArray(), Is.EqualTo(predicted));
            Assert.That(reloaded.GetColumn<float[]>("Score").ToArray(), Is.EqualTo(scores));
        });
        loaded.GetGanModel<DiscriminatorFeaturesTransformer>().Dispose();
    }

    [Test]
    public void PredictionEngineGivesTheFeaturesTransformGives()
    {
        using GanTransformerBase gan = FeaturizedModels.Create(_mlContext, "Gan");
        IDataView images = FeaturizedModels.Images(_mlContext, 10);
        using DiscriminatorFeaturesTransformer featurizer = _mlContext.Gan().Transforms.DiscriminatorFeatures(gan).Fit(images);
        float[][] fromTransform = featurizer.Transform(images).GetColumn<float[]>("Features").ToArray();
        FeaturizedModels.Row[] rows = _mlContext.Data.CreateEnumerable<FeaturizedModels.Row>(images, reuseRowObject: false).ToArray();

        var engine = _mlContext.Model.CreatePredictionEngine<FeaturizedModels.Row, FeaturesRow>(featurizer, inputSchemaDefinition: FeaturizedModels.Schema());

        for (int row = 0; row < rows.Length; row++)
        {
            Assert.That(engine.Predict(rows[row]).Features, Is.EqualTo(fromTransform[row]), $"row {row}");
        }
    }

    [Test]
    public void BatchedFeaturesOverManyBatchesEqualTheFeaturesOfEachRowAlone()
    {
        using GanTransformerBase gan = FeaturizedModels.Create(_mlContext, "Gan");
        IDataView images = FeaturizedModels.Images(_mlContext, 300);
        using DiscriminatorFeaturesTransformer featurizer = _mlContext.Gan().Transforms.DiscriminatorFeatures(gan).Fit(images);
        var engine = _mlContext.Model.CreatePredictionEngine<FeaturizedModels.Row, FeaturesRow>(featurizer, inputSchemaDefinition: FeaturizedModels.Schema());
        FeaturizedModels.Row[] rows = _mlContext.Data.CreateEnumerable<FeaturizedModels.Row>(images, reuseRowObject: false).ToArray();

        float[][] batched = featurizer.Transform(images).GetColumn<float[]>("Features").ToArray();

        Assert.That(batched.Length, Is.EqualTo(300));
        for (int row = 0; row < rows.Length; row += 37)
        {
            Assert.That(batched[row], Is.EqualTo(engine.Predict(rows[row]).Features).Within(1e-5), $"row {row}");
        }
        // A cursor that reads the features of every third row only, as a filter downstream makes it.
        IDataView featurized = featurizer.Transform(images);
        using DataViewRowCursor cursor = featurized.GetRowCursor(featurized.Schema);
        ValueGetter<VBuffer<float>> features = cursor.GetGetter<VBuffer<float>>(featurized.Schema["Features"]);
        while (cursor.MoveNext())
        {
            if (cursor.Position % 3 == 2)
            {
                VBuffer<float> values = default;
                features(ref values);
                Assert.That(values.DenseValues().ToArray(), Is.EqualTo(batched[cursor.Position]), $"row {cursor.Position}");
            }
        }
    }

    [Test]
    public void ASourceThatGivesOtherImagesOnEveryPassStillGetsEachRowsOwnFeatures()
    {
        using GanTransformerBase gan = FeaturizedModels.Create(_mlContext, "Gan");
        using DiscriminatorFeaturesTransformer featurizer = _mlContext.Gan().Transforms.DiscriminatorFeatures(gan).Fit(FeaturizedModels.Images(_mlContext, 20));
        var engine = _mlContext.Model.CreatePredictionEngine<FeaturizedModels.Row, FeaturesRow>(featurizer, inputSchemaDefinition: FeaturizedModels.Schema());
        var random = new Random(4);
        // A lazily enumerated source: each cursor (the featurizer's read-ahead cursor too) sees new random images.
        IEnumerable<FeaturizedModels.Row> Fresh()
        {
            for (int i = 0; i < 60; i++)
            {
                yield return new FeaturizedModels.Row { Image = Enumerable.Range(0, 256).Select(_ => (float)random.NextDouble()).ToArray(), Label = 1 };
            }
        }
        IDataView changing = _mlContext.Data.LoadFromEnumerable(Fresh(), FeaturizedModels.Schema());

        IDataView featurized = featurizer.Transform(changing);
        using DataViewRowCursor cursor = featurized.GetRowCursor(featurized.Schema);
        ValueGetter<VBuffer<float>> image = cursor.GetGetter<VBuffer<float>>(featurized.Schema["Image"]);
        ValueGetter<VBuffer<float>> features = cursor.GetGetter<VBuffer<float>>(featurized.Schema["Features"]);
        int rows = 0;
        while (cursor.MoveNext())
        {
            VBuffer<float> pixels = default, values = default;
            image(ref pixels);
            features(ref values);
            float[] alone = engine.Predict(new FeaturizedModels.Row { Image = pixels.DenseValues().ToArray() }).Features;
            Assert.That(values.DenseValues().Zip(alone, (a, b) => Math.Abs(a - b)).Max(), Is.LessThan(1e-5), $"row {rows}");
            rows++;
        }
        Assert.That(rows, Is.EqualTo(60));
    }

    [Test]
    public void TheFeaturizerKeepsWorkingAfterTheGanIsDisposedAndNotAfterItselfIs()
    {
        IDataView images = FeaturizedModels.Images(_mlContext, 5);
        GanTransformerBase gan = FeaturizedModels.Create(_mlContext, "Gan");
        DiscriminatorFeaturesTransformer featurizer = _mlContext.Gan().Transforms.DiscriminatorFeatures(gan).Fit(images);
        float[][] before = featurizer.Transform(images).GetColumn<float[]>("Features").ToArray();

        gan.Dispose();
        Assert.That(featurizer.Transform(images).GetColumn<float[]>("Features").ToArray(), Is.EqualTo(before));

        featurizer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => featurizer.Transform(images).GetColumn<float[]>("Features").ToArray());
    }

    [Test]
    public void AModelWithoutConvolutionalLayersIsRefusedNamingItsArchitecture()
    {
        using GanTransformerBase mlp = FeaturizedModels.Create(_mlContext, "Gan", GanArchitecture.Mlp);

        var error = Assert.Throws<ArgumentException>(() => _mlContext.Gan().Transforms.DiscriminatorFeatures(mlp));

        Assert.That(error!.Message, Does.Contain("GanTransformer").And.Contain("Mlp").And.Contain("GanArchitecture.Dcgan").And.Contain("GanArchitecture.ResNet"));
    }

    [Test]
    public void AMissingImageColumnIsReportedNamingItAtFitAndInTheSchema()
    {
        using GanTransformerBase gan = FeaturizedModels.Create(_mlContext, "Gan");
        IDataView images = FeaturizedModels.Images(_mlContext, 5);
        DiscriminatorFeaturesEstimator estimator = _mlContext.Gan().Transforms.DiscriminatorFeatures(gan, inputColumnName: "Picture");

        var atFit = Assert.Throws<ArgumentException>(() => estimator.Fit(images));
        var inSchema = Assert.Throws<ArgumentOutOfRangeException>(() => estimator.GetOutputSchema(MlNetBridge.ToSchemaShape(images.Schema)));

        Assert.That(atFit!.Message, Does.Contain("'Picture' was not found").And.Contain("'Image'"));
        Assert.That(inSchema!.Message, Does.Contain("'Picture'"));
    }

    [Test]
    public void ImagesOfAnotherSizeOrTypeAreReportedNamingTheColumnAndTheShape()
    {
        using GanTransformerBase gan = FeaturizedModels.Create(_mlContext, "Gan");
        IDataView images = FeaturizedModels.Images(_mlContext, 5);
        using DiscriminatorFeaturesTransformer featurizer = _mlContext.Gan().Transforms.DiscriminatorFeatures(gan).Fit(images);
        IDataView small = FeaturizedModels.Images(_mlContext, 5, side: 8);
        IDataView text = _mlContext.Data.LoadFromEnumerable(new[] { new { Image = "not pixels" } });

        var wrongSize = Assert.Throws<ArgumentException>(() => featurizer.Transform(small));
        var wrongSizeAtFit = Assert.Throws<ArgumentException>(() => _mlContext.Gan().Transforms.DiscriminatorFeatures(gan).Fit(small));
        var wrongType = Assert.Throws<ArgumentException>(() => featurizer.Transform(text));

        Assert.Multiple(() =>
        {
            Assert.That(wrongSize!.Message, Does.Contain("'Image'").And.Contain("16"));
            Assert.That(wrongSizeAtFit!.Message, Is.EqualTo(wrongSize.Message));
            Assert.That(wrongType!.Message, Does.Contain("'Image'").And.Contain("String"));
        });
    }

    [Test]
    public void BadOptionsAndEmptyDataAreRefusedBeforeAnyWork()
    {
        using GanTransformerBase gan = FeaturizedModels.Create(_mlContext, "Gan");
        GanTransformsCatalog transforms = _mlContext.Gan().Transforms;
        IDataView empty = FeaturizedModels.Images(_mlContext, 0);

        Assert.Multiple(() =>
        {
            Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => transforms.DiscriminatorFeatures(gan, gridSize: 0))!.ParamName, Is.EqualTo("GridSize"));
            Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => transforms.DiscriminatorFeatures(gan, gridSize: 33))!.ParamName, Is.EqualTo("GridSize"));
            Assert.That(Assert.Throws<ArgumentException>(() => transforms.DiscriminatorFeatures(gan, outputColumnName: " "))!.ParamName, Is.EqualTo("OutputColumnName"));
            Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() =>
                transforms.DiscriminatorFeatures(gan, new DiscriminatorFeaturesEstimator.Options { BatchSize = 0 }))!.ParamName, Is.EqualTo("BatchSize"));
            Assert.That(Assert.Throws<InvalidOperationException>(() => transforms.DiscriminatorFeatures(gan).Fit(empty))!.Message, Does.Contain("no rows"));
        });
        // Without normalisation there is nothing to learn, so empty data is enough to make the featurizer.
        using DiscriminatorFeaturesTransformer raw = transforms.DiscriminatorFeatures(gan, normalize: false).Fit(empty);
        Assert.That(raw.FeatureCount, Is.EqualTo(3072));
    }
}
