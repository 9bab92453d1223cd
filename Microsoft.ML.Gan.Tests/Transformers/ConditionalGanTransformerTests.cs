using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Tests.TestData;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Transformers;

/// <summary>What a fitted conditional GAN offers: generation by label name, key or label distribution, scoring, the generator transformer.</summary>
[TestFixture]
public class ConditionalGanTransformerTests
{
    private const int LatentSize = 8;

    private MLContext _mlContext = null!;
    private ConditionalGanTransformer _model = null!;

    [OneTimeSetUp]
    public void TrainOnce()
    {
        _mlContext = new MLContext(seed: 1);
        _model = TrainedConditionalModels.Projection(_mlContext, latent: LatentSize);
    }

    [OneTimeTearDown]
    public void CleanUp() => _model.Dispose();

    [Test]
    public void GenerateByNameWritesThatLabelAndMatchesGenerateByKey()
    {
        IDataView byName = _model.Generate(6, "checker", seed: 5);

        Assert.That(byName.GetColumn<uint>("Label").ToArray(), Is.All.EqualTo(3u), "'checker' is the third label, key 3");
        Assert.That(GeneratedImages.ReadGray(byName), Is.EqualTo(GeneratedImages.ReadGray(_model.Generate(6, 3u, seed: 5))));
        Assert.That(GeneratedImages.ReadGray(byName), Is.EqualTo(GeneratedImages.ReadGray(_model.Generate(6, "checker", seed: 5))), "same seed, same images");
        Assert.That(GeneratedImages.ReadGray(byName), Is.Not.EqualTo(GeneratedImages.ReadGray(_model.Generate(6, "frame", seed: 5))), "the label changes the images");
    }

    [Test]
    public void TruncatedGenerationOfALabelKeepsTheLabelAndTheThreshold()
    {
        IDataView byName = _model.Generate(30, "checker", seed: 5, truncation: 0.5);

        Assert.That(byName.GetColumn<uint>("Label").ToArray(), Is.All.EqualTo(3u));
        Assert.That(byName.GetColumn<VBuffer<float>>("Latent").SelectMany(v => v.DenseValues()), Has.All.InRange(-0.5f, 0.5f));
        Assert.That(GeneratedImages.ReadGray(byName), Is.EqualTo(GeneratedImages.ReadGray(_model.Generate(30, 3u, seed: 5, truncation: 0.5))));
        Assert.That(_model.Generate(30, seed: 5, truncation: 0.5).GetColumn<VBuffer<float>>("Latent").SelectMany(v => v.DenseValues()),
            Has.All.InRange(-0.5f, 0.5f), "labels drawn from the training distribution");
    }

    [Test]
    public void TrainingAgainWithTheSameSeedGivesTheSameGenerator()
    {
        using ConditionalGanTransformer again = TrainedConditionalModels.Projection(new MLContext(seed: 1), latent: LatentSize);

        Assert.That(GeneratedImages.ReadGray(again.Generate(8, seed: 2)), Is.EqualTo(GeneratedImages.ReadGray(_model.Generate(8, seed: 2))));
        Assert.That(again.TrainingHistory, Is.EqualTo(_model.TrainingHistory));
    }

    [Test]
    public void GeneratedLabelColumnKeepsTheKeyTypeAndLabelNames()
    {
        DataViewSchema.Column label = _model.Generate(3, seed: 1).Schema["Label"];
        VBuffer<ReadOnlyMemory<char>> names = default;
        label.GetKeyValues(ref names);

        Assert.That(label.Type, Is.EqualTo(new KeyDataViewType(typeof(uint), 4)));
        Assert.That(names.DenseValues().Select(n => n.ToString()), Is.EqualTo(SyntheticModes.Names));
        Assert.That(_model.LabelNames, Is.EqualTo(SyntheticModes.Names));
    }

    [Test]
    public void LabelsDrawnWithoutAskingFollowTheTrainingDistributionAndDependOnlyOnSeedAndIndex()
    {
        uint[] labels = _model.Generate(400, seed: 9).GetColumn<uint>("Label").ToArray();
        uint[] firstTen = _model.Generate(10, seed: 9).GetColumn<uint>("Label").ToArray();

        Assert.That(_model.LabelFrequencies, Is.EqualTo(new[] { 0.25, 0.25, 0.25, 0.25 }), "the training set is balanced");
        Assert.That(Enumerable.Range(1, 4).Select(key => labels.Count(l => l == key) / 400.0), Is.All.InRange(0.18, 0.32));
        Assert.That(firstTen, Is.EqualTo(labels.Take(10)));
        Assert.That(_model.Generate(400, seed: 10).GetColumn<uint>("Label").ToArray(), Is.Not.EqualTo(labels));
    }

    [Test]
    public void UnknownLabelsAreRefusedWithTheKnownOnes()
    {
        var unknown = Assert.Throws<ArgumentException>(() => _model.Generate(3, "Sneaker"));
        Assert.That(unknown!.Message, Does.Contain("'Sneaker'").And.Contain("'checker'"));
        Assert.That(_model.Generate(1, "CHECKER", seed: 2).GetColumn<uint>("Label").Single(), Is.EqualTo(3u), "names match ignoring case when nothing matches exactly");
        Assert.Throws<ArgumentOutOfRangeException>(() => _model.Generate(3, 0u));
        Assert.Throws<ArgumentOutOfRangeException>(() => _model.Generate(3, 5u));
    }

    [Test]
    public void TransformScoresEachImageAsAnImageOfItsLabel()
    {
        float[] scores = _model.Transform(KeyedRows(i => i % 4)).GetColumn<float>("Score").ToArray();
        float[] relabelledScores = _model.Transform(KeyedRows(i => (i + 1) % 4)).GetColumn<float>("Score").ToArray();

        Assert.That(scores, Has.Length.EqualTo(8).And.All.Matches<float>(float.IsFinite));
        Assert.That(relabelledScores, Is.Not.EqualTo(scores), "the projection discriminator's score depends on the label");
    }

    [Test]
    public void TransformWithoutTheLabelColumnNamesIt()
    {
        IDataView unlabelled = SyntheticModes.Create(_mlContext, 4);
        var error = Assert.Throws<ArgumentException>(() => _model.Transform(unlabelled));
        Assert.That(error!.Message, Does.Contain("'Label'"));
    }

    [Test]
    public void GeneratorWorksWithPredictionEngineOnLabelAndLatent()
    {
        IDataView generated = _model.Generate(4, seed: 21);
        float[][] latents = generated.GetColumn<float[]>("Latent").ToArray();
        uint[] labels = generated.GetColumn<uint>("Label").ToArray();
        List<float[]> expected = GeneratedImages.ReadGray(generated);

        var engine = _mlContext.Model.CreatePredictionEngine<GeneratorInput, GeneratorOutput>(_model.Generator);
        for (int i = 0; i < 4; i++)
        {
            using MLImage image = engine.Predict(new GeneratorInput { Latent = latents[i], Label = labels[i] - 1 }).Image;
            Assert.That(GeneratedImages.ToGray(image), Is.EqualTo(expected[i]), $"row {i}");
        }
        Assert.That(_model.Generator.LabelColumnName, Is.EqualTo("Label"));
    }

    // LoadFromEnumerable and PredictionEngine read a [KeyType] property as a 0-based class index (stored as key index + 1).
    private IDataView KeyedRows(System.Func<int, int> classOf) => _mlContext.Data.LoadFromEnumerable(
        Enumerable.Range(0, 8).Select(i => new ImageRow { Image = SyntheticModes.Patterns[i % 4], Label = (uint)classOf(i) }));

    private sealed class ImageRow
    {
        [VectorType(1, SyntheticModes.Side, SyntheticModes.Side)]
        public float[] Image { get; set; } = Array.Empty<float>();

        [KeyType(4)]
        public uint Label { get; set; }
    }

    private sealed class GeneratorInput
    {
        [VectorType(LatentSize)]
        public float[] Latent { get; set; } = Array.Empty<float>();

        [KeyType(4)]
        public uint Label { get; set; }
    }

    private sealed class GeneratorOutput
    {
        [Microsoft.ML.Transforms.Image.ImageType(SyntheticModes.Side, SyntheticModes.Side)]
        public MLImage Image { get; set; } = null!;
    }
}
