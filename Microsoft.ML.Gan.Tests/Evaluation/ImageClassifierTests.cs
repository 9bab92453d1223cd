using System;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Tests.TestData;
using Microsoft.ML.Gan.Torch;
using NUnit.Framework;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Tests.Evaluation;

/// <summary>The CNN classifier: it learns, classifies like an ML.NET classifier, and saves and loads exactly.</summary>
[TestFixture]
public class ImageClassifierTests
{
    private static string FashionPath(string file) => Path.Combine(AppContext.BaseDirectory, "fashion-mnist", file);

    [Test]
    public void LearnsFashionMnistFromKeyLabels()
    {
        var mlContext = new MLContext(seed: 1);
        IDataView all = mlContext.Data.LoadFromIdxFile(FashionPath("t10k-images-idx3-ubyte.gz"), FashionPath("t10k-labels-idx1-ubyte.gz"));
        IDataView train = mlContext.Data.TakeRows(all, 1500);
        IDataView test = mlContext.Data.SkipRows(all, 9000);
        using ImageClassifierTransformer classifier = mlContext.Gan().Evaluation.TrainClassifier(train, epochs: 1);

        // Batched through the extractor path: Transform classifies one row at a time, which is slow for 1,000 rows.
        using Tensor images = Images(test);
        using var extracted = classifier.Extract(images, batchSize: 256);
        using Tensor predicted = extracted.Probabilities!.argmax(1);
        long[] classes = predicted.data<long>().ToArray();
        uint[] labels = test.GetColumn<uint>("Label").ToArray();
        double accuracy = classes.Zip(labels, (p, l) => p + 1 == l ? 1.0 : 0.0).Average();
        TestContext.Out.WriteLine($"accuracy on 1,000 held-out images after 1 epoch on 1,500: {accuracy:P1}");
        Assert.That(accuracy, Is.GreaterThan(0.65));
        Assert.That((classifier.ClassCount, classifier.FeatureDimension, classifier.ImageWidth, classifier.ImageChannels), Is.EqualTo((10, 128, 28, 1)));
        Assert.That(classifier.ClassNames, Is.EqualTo(Enumerable.Range(0, 10).Select(i => i.ToString()).ToArray()));
    }

    [Test]
    public void OutputSchemaIsThatOfAnMlNetMulticlassClassifier()
    {
        var mlContext = new MLContext(seed: 1);
        using ImageClassifierTransformer classifier = Train(mlContext);
        DataViewSchema schema = classifier.GetOutputSchema(LabelledModes.Create(mlContext, 4, seed: 2).Schema);
        Assert.That(schema["PredictedLabel"].Type, Is.EqualTo(new KeyDataViewType(typeof(uint), 4)));
        Assert.That(schema["Score"].Type, Is.EqualTo(new VectorDataViewType(NumberDataViewType.Single, 4)));

        var engine = mlContext.Model.CreatePredictionEngine<LabelledModesInput, Prediction>(classifier, inputSchemaDefinition: null);
        LabelledModes.Row row = LabelledModes.Rows(3, seed: 9)[2];
        Prediction prediction = engine.Predict(new LabelledModesInput { Image = row.Image });
        Assert.That(prediction.PredictedLabel, Is.EqualTo(row.Label + 1));
        Assert.That(prediction.Score.Sum(), Is.EqualTo(1).Within(1e-5));
    }

    [Test]
    public void SaveAndLoadGiveIdenticalFeaturesAndPredictions()
    {
        var mlContext = new MLContext(seed: 1);
        IDataView data = LabelledModes.Create(mlContext, 24, seed: 3, noise: 0.2f);
        using ImageClassifierTransformer classifier = Train(mlContext);
        string path = Path.Combine(Path.GetTempPath(), $"classifier-{Guid.NewGuid():N}.zip");
        try
        {
            mlContext.Model.Save(classifier, data.Schema, path);
            var loadingContext = new MLContext(seed: 5);
            loadingContext.Gan();
            using var loaded = (ImageClassifierTransformer)loadingContext.Model.Load(path, out _);

            using Tensor images = Images(data);
            using var before = classifier.Extract(images, batchSize: 16);
            using var after = loaded.Extract(images, batchSize: 16);
            Assert.That(after.Features.equal(before.Features).all().item<bool>(), Is.True);
            Assert.That(after.Probabilities!.equal(before.Probabilities!).all().item<bool>(), Is.True);
            Assert.That(loaded.ClassNames, Is.EqualTo(classifier.ClassNames));
            Assert.That(loaded.Transform(data).GetColumn<float[]>("Score").SelectMany(s => s),
                Is.EqualTo(classifier.Transform(data).GetColumn<float[]>("Score").SelectMany(s => s)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void MissingLabelColumnIsNamed()
    {
        var mlContext = new MLContext(seed: 1);
        var e = Assert.Throws<ArgumentException>(() => mlContext.Gan().Evaluation.TrainClassifier(LabelledModes.Create(mlContext, 8, seed: 1), labelColumnName: "Class"));
        Assert.That(e!.Message, Does.Contain("'Class'").And.Contain("Available columns"));
    }

    [Test]
    public void NegativeLabelIsRejectedWithItsRow()
    {
        var mlContext = new MLContext(seed: 1);
        var rows = LabelledModes.Rows(8, seed: 1);
        rows[5].Label = -1;
        var e = Assert.Throws<InvalidOperationException>(() => mlContext.Gan().Evaluation.TrainClassifier(LabelledModes.View(mlContext, rows)));
        Assert.That(e!.Message, Does.Contain("Row 5").And.Contain("'Label'"));
    }

    [Test]
    public void ClassifiesAnImageColumnThoughTrainedOnAGrayscaleFloatColumn()
    {
        // A classifier trained on IDX-style float vectors must read MLImage columns too: Generate's output is one.
        var mlContext = new MLContext(seed: 1);
        using ImageClassifierTransformer classifier = Train(mlContext);
        var rows = LabelledModes.Rows(12, seed: 5);
        IDataView asImages = mlContext.Data.LoadFromEnumerable(rows.Select(row => new ImageInput { Image = ToImage(row.Image) }).ToList());

        uint[] fromImages = classifier.Transform(asImages).GetColumn<uint>("PredictedLabel").ToArray();
        uint[] fromVectors = classifier.Transform(LabelledModes.View(mlContext, rows)).GetColumn<uint>("PredictedLabel").ToArray();

        Assert.That(fromImages, Is.EqualTo(fromVectors));
        Assert.That(fromImages, Is.EqualTo(rows.Select(row => (uint)row.Label + 1).ToArray()));
    }

    private static MLImage ToImage(float[] gray)
    {
        byte[] bgra = gray.SelectMany(v => { byte b = (byte)Math.Round(v * 255); return new[] { b, b, b, (byte)255 }; }).ToArray();
        return MLImage.CreateFromPixels(SyntheticModes.Side, SyntheticModes.Side, MLPixelFormat.Bgra32, bgra);
    }

    internal static Tensor Images(IDataView data) =>
        Microsoft.ML.Gan.Data.ImageColumnReader.Create(data.Schema, "Image", grayscale: true).ReadAll(data);

    private static ImageClassifierTransformer Train(MLContext mlContext) =>
        mlContext.Gan().Evaluation.TrainClassifier(LabelledModes.Create(mlContext, 400, seed: 1, noise: 0.15f),
            new ImageClassifierOptions { Epochs = 2, FeatureDimension = 16, Seed = 2 });

    private sealed class Prediction
    {
        public uint PredictedLabel { get; set; }

        public float[] Score { get; set; } = Array.Empty<float>();
    }

    private sealed class ImageInput
    {
        [Microsoft.ML.Transforms.Image.ImageType(SyntheticModes.Side, SyntheticModes.Side)]
        public MLImage Image { get; set; } = null!;
    }

    private sealed class LabelledModesInput
    {
        [VectorType(1, 8, 8)]
        public float[] Image { get; set; } = Array.Empty<float>();
    }
}
