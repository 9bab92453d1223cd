using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Tests.TestData;
using Microsoft.ML.Gan.Tests.TestSupport;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Persistence;

/// <summary>Saved with mlContext.Model.Save, loaded with mlContext.Model.Load: the same outputs.</summary>
[TestFixture]
public class GanModelRoundTripTests
{
    private MLContext _mlContext = null!;
    private GanTransformer _model = null!;
    private string _folder = null!;

    [OneTimeSetUp]
    public void TrainOnce()
    {
        _mlContext = new MLContext(seed: 1);
        _model = TrainedModels.Dcgan(_mlContext);
        _folder = Path.Combine(Path.GetTempPath(), "gan-roundtrip-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [OneTimeTearDown]
    public void CleanUp()
    {
        _model.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private string PathFor(string name) => Path.Combine(_folder, name);

    [Test]
    public void GanTransformerRoundTripsGenerateTransformAndHistory()
    {
        IDataView data = SyntheticModes.Create(_mlContext, 6);
        _mlContext.Model.Save(_model, data.Schema, PathFor("gan.zip"));

        var fresh = new MLContext(seed: 99);
        fresh.Gan();
        using var loaded = (GanTransformer)fresh.Model.Load(PathFor("gan.zip"), out DataViewSchema inputSchema);

        Assert.That(inputSchema.Select(c => c.Name), Is.EqualTo(data.Schema.Select(c => c.Name)));
        Assert.That(GeneratedImages.ReadGray(loaded.Generate(10, seed: 5)), Is.EqualTo(GeneratedImages.ReadGray(_model.Generate(10, seed: 5))));
        Assert.That(loaded.Transform(data).GetColumn<float>("Score").ToArray(), Is.EqualTo(_model.Transform(data).GetColumn<float>("Score").ToArray()));
        Assert.That(loaded.TrainingHistory, Is.EqualTo(_model.TrainingHistory));
        Assert.That((loaded.LatentDimension, loaded.ImageWidth, loaded.ImageHeight, loaded.ImageChannels, loaded.Architecture, loaded.Loss),
            Is.EqualTo((_model.LatentDimension, _model.ImageWidth, _model.ImageHeight, _model.ImageChannels, _model.Architecture, _model.Loss)));
    }

    [Test]
    public void GeneratorAloneRoundTrips()
    {
        IDataView generated = _model.Generate(4, seed: 8);
        _mlContext.Model.Save(_model.Generator, generated.Schema, PathFor("generator.zip"));

        var fresh = new MLContext();
        fresh.Gan();
        using var loaded = (GeneratorTransformer)fresh.Model.Load(PathFor("generator.zip"), out _);
        IDataView latents = fresh.Transforms.DropColumns("Image").Fit(generated).Transform(generated);
        Assert.That(GeneratedImages.ReadGray(loaded.Transform(latents)), Is.EqualTo(GeneratedImages.ReadGray(generated)));
        Assert.That(new FileInfo(PathFor("generator.zip")).Length, Is.LessThan(new FileInfo(SaveFull()).Length), "the generator alone should not carry the discriminator");
    }

    [Test]
    public void ChainWithMlNetTransformsRoundTrips()
    {
        IDataView data = SyntheticModes.Create(_mlContext, 32);
        var pipeline = _mlContext.Transforms.CopyColumns("Original", "Image")
            .Append(_mlContext.Gan().Trainers.Gan(new GanTrainer.Options { Architecture = GanArchitecture.Mlp, LatentDimension = 4, MaxSteps = 3, Seed = 1 }))
            .Append(_mlContext.Transforms.NormalizeMinMax("ScoreNormalized", "Score"));
        var chain = pipeline.Fit(data);
        _mlContext.Model.Save(chain, data.Schema, PathFor("chain.zip"));

        var fresh = new MLContext();
        fresh.Gan();
        ITransformer loaded = fresh.Model.Load(PathFor("chain.zip"), out _);
        float[] expected = chain.Transform(data).GetColumn<float>("ScoreNormalized").ToArray();
        Assert.That(loaded.Transform(data).GetColumn<float>("ScoreNormalized").ToArray(), Is.EqualTo(expected));
        Assert.That(((TransformerChain<ITransformer>)loaded).OfType<GanTransformer>().Count(), Is.EqualTo(1));
        chain.OfType<GanTransformer>().Single().Dispose();
        ((TransformerChain<ITransformer>)loaded).OfType<GanTransformer>().Single().Dispose();
    }

    [Test]
    public void FreshProcessLoadGivesTheSameScores()
    {
        IDataView data = SyntheticModes.Create(_mlContext, 6);
        _mlContext.Model.Save(_model, data.Schema, PathFor("fresh-gan.zip"));
        SaveBinary(data, PathFor("fresh-gan-input.idv"));

        FreshProcess.Result result = FreshProcess.LoadModel(PathFor("fresh-gan.zip"), PathFor("fresh-gan-input.idv"), PathFor("fresh-gan-output.idv"), true, "Score");

        Assert.That(result.ExitCode, Is.Zero, result.StandardError);
        float[] fresh = _mlContext.Data.LoadFromBinary(PathFor("fresh-gan-output.idv")).GetColumn<float>("Score").ToArray();
        Assert.That(fresh, Is.EqualTo(_model.Transform(data).GetColumn<float>("Score").ToArray()));
    }

    [Test]
    public void FreshProcessLoadOfTheGeneratorGivesTheSameImages()
    {
        IDataView generated = _model.Generate(5, seed: 13);
        IDataView latents = _mlContext.Transforms.SelectColumns("Latent").Fit(generated).Transform(generated);
        _mlContext.Model.Save(_model.Generator, latents.Schema, PathFor("fresh-generator.zip"));
        SaveBinary(latents, PathFor("fresh-generator-input.idv"));

        FreshProcess.Result result = FreshProcess.LoadModel(PathFor("fresh-generator.zip"), PathFor("fresh-generator-input.idv"), PathFor("fresh-generator-output.idv"), true, "Image");

        Assert.That(result.ExitCode, Is.Zero, result.StandardError);
        IDataView expected = _mlContext.Transforms.ExtractPixels("Image", "Image").Fit(generated).Transform(generated);
        Assert.That(_mlContext.Data.LoadFromBinary(PathFor("fresh-generator-output.idv")).GetColumn<float[]>("Image").ToArray(),
            Is.EqualTo(expected.GetColumn<float[]>("Image").ToArray()));
    }

    [Test]
    public void LoadWithoutCallingGanFirstSaysWhatToDo()
    {
        IDataView data = SyntheticModes.Create(_mlContext, 2);
        _mlContext.Model.Save(_model, data.Schema, PathFor("unregistered.zip"));
        SaveBinary(data, PathFor("unregistered-input.idv"));

        FreshProcess.Result result = FreshProcess.LoadModel(PathFor("unregistered.zip"), PathFor("unregistered-input.idv"), PathFor("unregistered-output.idv"), false, "Score");

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.StandardError, Does.Contain("call mlContext.Gan() before mlContext.Model.Load"));
    }

    [Test]
    public void CorruptFileGivesAClearError()
    {
        File.WriteAllBytes(PathFor("corrupt.zip"), Enumerable.Range(0, 1000).Select(i => (byte)(i * 37)).ToArray());
        var fresh = new MLContext();
        fresh.Gan();
        Exception? error = Assert.Catch(() => fresh.Model.Load(PathFor("corrupt.zip"), out _));
        Assert.That(error!.Message, Is.Not.Empty);
        TestContext.Out.WriteLine($"corrupt file: {error.GetType().Name}: {error.Message}");
    }

    [Test]
    public void TruncatedModelGivesAClearError()
    {
        string full = SaveFull();
        byte[] bytes = File.ReadAllBytes(full);
        File.WriteAllBytes(PathFor("truncated.zip"), bytes.Take(bytes.Length / 2).ToArray());
        var fresh = new MLContext();
        fresh.Gan();
        Exception? error = Assert.Catch(() => fresh.Model.Load(PathFor("truncated.zip"), out _));
        TestContext.Out.WriteLine($"truncated file: {error!.GetType().Name}: {error.Message}");
        Assert.That(error.Message, Is.Not.Empty);
    }

    [Test]
    public void ForeignZipGivesAClearError()
    {
        using (ZipArchive zip = ZipFile.Open(PathFor("foreign.zip"), ZipArchiveMode.Create))
        {
            using var writer = new StreamWriter(zip.CreateEntry("readme.txt").Open());
            writer.Write("not a model");
        }
        var fresh = new MLContext();
        fresh.Gan();
        Exception? error = Assert.Catch(() => fresh.Model.Load(PathFor("foreign.zip"), out _));
        TestContext.Out.WriteLine($"foreign zip: {error!.GetType().Name}: {error.Message}");
        Assert.That(error.Message, Is.Not.Empty);
    }

    private void SaveBinary(IDataView data, string path)
    {
        using FileStream stream = File.Create(path);
        _mlContext.Data.SaveAsBinary(data, stream);
    }

    private string SaveFull()
    {
        string path = PathFor("full.zip");
        _mlContext.Model.Save(_model, SyntheticModes.Create(_mlContext, 1).Schema, path);
        return path;
    }
}
