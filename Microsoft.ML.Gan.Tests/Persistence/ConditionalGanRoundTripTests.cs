using System;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Tests.TestData;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Persistence;

/// <summary>A conditional GAN saved with mlContext.Model.Save and loaded in a fresh MLContext: the same outputs, the same label mapping.</summary>
[TestFixture]
public class ConditionalGanRoundTripTests
{
    private MLContext _mlContext = null!;
    private ConditionalGanTransformer _model = null!;
    private string _folder = null!;

    [OneTimeSetUp]
    public void TrainOnce()
    {
        _mlContext = new MLContext(seed: 1);
        _model = TrainedConditionalModels.Projection(_mlContext);
        _folder = Path.Combine(Path.GetTempPath(), "cgan-roundtrip-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [OneTimeTearDown]
    public void CleanUp()
    {
        _model.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public void ConditionalGanTransformerRoundTripsGenerationScoresAndLabels()
    {
        IDataView data = SyntheticModes.CreateLabelled(_mlContext, 8);
        string path = Path.Combine(_folder, "cgan.zip");
        _mlContext.Model.Save(_model, data.Schema, path);

        var fresh = new MLContext(seed: 99);
        fresh.Gan();
        using var loaded = (ConditionalGanTransformer)fresh.Model.Load(path, out _);

        Assert.Multiple(() =>
        {
            Assert.That(GeneratedImages.ReadGray(loaded.Generate(5, "top", seed: 3)), Is.EqualTo(GeneratedImages.ReadGray(_model.Generate(5, "top", seed: 3))));
            Assert.That(loaded.Generate(50, seed: 4).GetColumn<uint>("Label").ToArray(), Is.EqualTo(_model.Generate(50, seed: 4).GetColumn<uint>("Label").ToArray()));
            Assert.That(GeneratedImages.ReadGray(loaded.Generate(20, seed: 4)), Is.EqualTo(GeneratedImages.ReadGray(_model.Generate(20, seed: 4))));
            Assert.That(loaded.Transform(data).GetColumn<float>("Score").ToArray(), Is.EqualTo(_model.Transform(data).GetColumn<float>("Score").ToArray()));
            Assert.That(loaded.LabelNames, Is.EqualTo(SyntheticModes.Names));
            Assert.That(loaded.LabelFrequencies, Is.EqualTo(_model.LabelFrequencies));
            Assert.That((loaded.Conditioning, loaded.LabelColumnName, loaded.LatentDimension, loaded.Architecture, loaded.Loss),
                Is.EqualTo((_model.Conditioning, _model.LabelColumnName, _model.LatentDimension, _model.Architecture, _model.Loss)));
            Assert.That(loaded.TrainingHistory, Is.EqualTo(_model.TrainingHistory));
            Assert.That(KeyValues(loaded.Generate(1, seed: 1).Schema["Label"]), Is.EqualTo(SyntheticModes.Names));
        });
    }

    [Test]
    public void ConditionalGeneratorAloneRoundTrips()
    {
        IDataView generated = _model.Generate(6, seed: 8);
        string path = Path.Combine(_folder, "cgenerator.zip");
        _mlContext.Model.Save(_model.Generator, generated.Schema, path);

        var fresh = new MLContext();
        fresh.Gan();
        using var loaded = (GeneratorTransformer)fresh.Model.Load(path, out _);
        IDataView inputs = fresh.Transforms.DropColumns("Image").Fit(generated).Transform(generated);

        Assert.That(loaded.LabelColumnName, Is.EqualTo("Label"));
        Assert.That(GeneratedImages.ReadGray(loaded.Transform(inputs)), Is.EqualTo(GeneratedImages.ReadGray(generated)));
    }

    private static string[] KeyValues(DataViewSchema.Column column)
    {
        VBuffer<ReadOnlyMemory<char>> names = default;
        column.GetKeyValues(ref names);
        return names.DenseValues().Select(n => n.ToString()).ToArray();
    }
}
