using System;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Tests.TestData;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Transformers;

/// <summary>
/// The columns the GAN transformers add are named by options (ScoreColumnName, LatentColumnName), as ML.NET transforms
/// take outputColumnName; the names travel with the saved model.
/// </summary>
[TestFixture]
public class OutputColumnNameTests
{
    private readonly MLContext _mlContext = new(seed: 1);
    private string _folder = null!;

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "gan-columns-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void RenamedOGanScore_SurvivesAClassifiersScore_AndSaveAndLoad()
    {
        IDataView data = SyntheticModes.CreateLabelled(_mlContext, 64);
        OGanTrainer.Options options = OGanTransformerTests.SmallOptions(steps: 5);
        options.ScoreColumnName = "Realness";
        options.LatentColumnName = "Code";
        var fitted = _mlContext.Gan().Trainers.OGan(options)
            .Append(_mlContext.MulticlassClassification.Trainers.SdcaMaximumEntropy("Label", "Code", maximumNumberOfIterations: 5))
            .Fit(data);
        IDataView scored = fitted.Transform(data);
        string path = Path.Combine(_folder, "pipeline.zip");
        _mlContext.Model.Save(fitted, data.Schema, path);

        ITransformer loaded = new MLContext(seed: 2).Gan().LoadModel(path, out _);
        IDataView reloaded = loaded.Transform(data);
        OGanTransformer ogan = loaded.GetGanModel<OGanTransformer>();

        Assert.That(scored.Schema["Score"].Type, Is.InstanceOf<VectorDataViewType>(), "the classifier's per-class scores");
        Assert.That(reloaded.GetColumn<float>("Realness").ToArray(), Is.EqualTo(scored.GetColumn<float>("Realness").ToArray()));
        Assert.That(reloaded.GetColumn<float[]>("Code").ToArray(), Is.EqualTo(scored.GetColumn<float[]>("Code").ToArray()));
        Assert.That((ogan.ScoreColumnName, ogan.LatentColumnName, ogan.Encoder.LatentColumnName), Is.EqualTo(("Realness", "Code", "Code")));
        Assert.That(ogan.Encoder.Transform(data).Schema.GetColumnOrNull("Code"), Is.Not.Null);
        ogan.Dispose();
        fitted.GetGanModel<OGanTransformer>().Dispose();
    }

    [Test]
    public void GanAndConditionalGan_AddTheScoreColumnTheyAreTold()
    {
        IDataView data = SyntheticModes.CreateLabelled(_mlContext, 32);
        using GanTransformer gan = _mlContext.Gan().Trainers.Gan(new GanTrainer.Options
        {
            Architecture = GanArchitecture.Mlp, LatentDimension = 4, MaxSteps = 2, Seed = 1, ScoreColumnName = "Realness",
        }).Fit(data);
        using ConditionalGanTransformer conditional = _mlContext.Gan().Trainers.ConditionalGan(new ConditionalGanTrainer.Options
        {
            Architecture = GanArchitecture.Mlp, LatentDimension = 4, MaxSteps = 2, Seed = 1, ScoreColumnName = "Realness",
        }).Fit(data);

        foreach (ITransformer model in new ITransformer[] { gan, conditional })
        {
            DataViewSchema schema = model.Transform(data).Schema;
            Assert.That(schema.GetColumnOrNull("Realness")?.Type, Is.EqualTo(NumberDataViewType.Single), model.GetType().Name);
            Assert.That(schema.GetColumnOrNull("Score"), Is.Null, model.GetType().Name);
        }
        Assert.That((gan.ScoreColumnName, conditional.ScoreColumnName), Is.EqualTo(("Realness", "Realness")));
    }

    [Test]
    public void EmptyOrCollidingNames_AreRefusedNamingTheOption()
    {
        IDataView data = SyntheticModes.Create(_mlContext, 16);
        OGanTrainer.Options same = OGanTransformerTests.SmallOptions(steps: 1);
        same.LatentColumnName = same.ScoreColumnName;

        var collision = Assert.Throws<ArgumentException>(() => _mlContext.Gan().Trainers.OGan(same).Fit(data));
        var empty = Assert.Throws<ArgumentException>(() =>
            _mlContext.Gan().Trainers.Gan(new GanTrainer.Options { ScoreColumnName = "" }).Fit(data));

        Assert.That(collision!.ParamName, Is.EqualTo(nameof(OGanTrainer.Options.LatentColumnName)));
        Assert.That(collision.Message, Does.Contain("'Score'"));
        Assert.That(empty!.ParamName, Is.EqualTo(nameof(GanTrainer.Options.ScoreColumnName)));
    }
}
