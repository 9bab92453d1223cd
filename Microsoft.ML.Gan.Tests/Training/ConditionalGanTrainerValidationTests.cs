using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Tests.TestData;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Training;

/// <summary>Bad label data and options fail before training with a message naming the column or option; good label sources just work.</summary>
[TestFixture]
public class ConditionalGanTrainerValidationTests
{
    private readonly MLContext _mlContext = new(seed: 1);

    private static ConditionalGanTrainer.Options Quick(Action<ConditionalGanTrainer.Options>? change = null)
    {
        var options = new ConditionalGanTrainer.Options { Architecture = GanArchitecture.Mlp, LatentDimension = 4, MaxSteps = 2, BatchSize = 8, Seed = 1 };
        change?.Invoke(options);
        return options;
    }

    [Test]
    public void MissingLabelColumnIsNamed()
    {
        var error = Assert.Throws<ArgumentException>(() => _mlContext.Gan().Trainers.ConditionalGan(Quick()).Fit(SyntheticModes.Create(_mlContext, 16)));
        Assert.That(error!.Message, Does.Contain("'Label'").And.Contain("not found"));
    }

    [Test]
    public void TextLabelsAskForMapValueToKey()
    {
        IDataView data = Labelled(i => SyntheticModes.Names[i % 4]);
        var error = Assert.Throws<ArgumentException>(() => _mlContext.Gan().Trainers.ConditionalGan(Quick()).Fit(data));
        Assert.That(error!.Message, Does.Contain("'Label'").And.Contain("MapValueToKey"));
    }

    [Test]
    public void FloatLabelsAskForMapValueToKey()
    {
        IDataView data = Labelled(i => (float)(i % 4));
        var error = Assert.Throws<ArgumentException>(() => _mlContext.Gan().Trainers.ConditionalGan(Quick()).Fit(data));
        Assert.That(error!.Message, Does.Contain("Single").And.Contain("MapValueToKey"));
    }

    [Test]
    public void AKeyWithASingleValueIsRefused()
    {
        IDataView data = _mlContext.Transforms.Conversion.MapValueToKey("Label").Fit(Labelled(_ => "only")).Transform(Labelled(_ => "only"));
        var error = Assert.Throws<ArgumentException>(() => _mlContext.Gan().Trainers.ConditionalGan(Quick()).Fit(data));
        Assert.That(error!.Message, Does.Contain("'Label'").And.Contain("at least 2 classes"));
    }

    [Test]
    public void DataOfASingleClassIsRefused()
    {
        IDataView data = Labelled(_ => 2u, keyCount: 4);  // class 2 (key 3) in every row
        var error = Assert.Throws<InvalidOperationException>(() => _mlContext.Gan().Trainers.ConditionalGan(Quick()).Fit(data));
        Assert.That(error!.Message, Does.Contain("single class"));
    }

    [Test]
    public void MissingLabelsAreRefusedWithTheirRow()
    {
        IDataView data = Labelled(i => i == 5 ? 4u : (uint)(i % 4), keyCount: 4);  // class index 4 of 4 becomes key 0: missing
        var error = Assert.Throws<InvalidOperationException>(() => _mlContext.Gan().Trainers.ConditionalGan(Quick()).Fit(data));
        Assert.That(error!.Message, Does.Contain("Row 5").And.Contain("missing"));
    }

    [Test]
    public void BadOptionsAreNamed()
    {
        IDataView data = SyntheticModes.CreateLabelled(_mlContext, 16);
        var same = Assert.Throws<ArgumentException>(() => _mlContext.Gan().Trainers.ConditionalGan(Quick(o => o.LabelColumnName = "Image")).Fit(data));
        var weight = Assert.Throws<ArgumentOutOfRangeException>(() => _mlContext.Gan().Trainers.ConditionalGan(
            Quick(o => { o.Conditioning = ConditioningMethod.AuxiliaryClassifier; o.AuxiliaryClassifierWeight = 0; })).Fit(data));
        Assert.That(same!.ParamName, Is.EqualTo("LabelColumnName"));
        Assert.That(weight!.ParamName, Is.EqualTo("AuxiliaryClassifierWeight"));
    }

    [Test]
    public void GetOutputSchemaChecksTheLabelColumn()
    {
        var trainer = _mlContext.Gan().Trainers.ConditionalGan(Quick());
        SchemaShape labelled = Microsoft.ML.Gan.Persistence.MlNetBridge.ToSchemaShape(SyntheticModes.CreateLabelled(_mlContext, 4).Schema);
        SchemaShape unlabelled = Microsoft.ML.Gan.Persistence.MlNetBridge.ToSchemaShape(SyntheticModes.Create(_mlContext, 4).Schema);

        Assert.That(trainer.GetOutputSchema(labelled).Select(c => c.Name), Does.Contain("Score"));
        Assert.That(() => trainer.GetOutputSchema(unlabelled), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("'Label'"));
    }

    [Test]
    public void IdxLabelsWorkDirectlyAndCanBeNamed()
    {
        string folder = Path.Combine(AppContext.BaseDirectory, "fashion-mnist");
        string[] names = { "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot" };
        IDataView idx = _mlContext.Data.LoadFromIdxFile(Path.Combine(folder, "t10k-images-idx3-ubyte.gz"), Path.Combine(folder, "t10k-labels-idx1-ubyte.gz"), names);
        IDataView data = _mlContext.Data.TakeRows(idx, 200);

        using ConditionalGanTransformer model = _mlContext.Gan().Trainers.ConditionalGan(Quick(o => o.ImageColumnName = "Image")).Fit(data);

        Assert.That(model.LabelNames, Is.EqualTo(names));
        Assert.That(model.Generate(2, "Sneaker", seed: 1).GetColumn<uint>("Label").ToArray(), Is.All.EqualTo(8u));
    }

    // GanQp needs real and fake images side by side and belongs to the O-GAN trainer; the test below checks it is refused.
    private static IEnumerable<TestCaseData> EveryLossAndMethod() =>
        from loss in Enum.GetValues<GanLoss>()
        where loss != GanLoss.GanQp
        from method in Enum.GetValues<ConditioningMethod>()
        select new TestCaseData(loss, method).SetName($"{loss}_{method}");

    [Test]
    public void GanQpIsRefusedBeforeTraining()
    {
        var options = Quick(o => o.Loss = GanLoss.GanQp);
        var error = Assert.Catch<ArgumentException>(() => _mlContext.Gan().Trainers.ConditionalGan(options).Fit(SyntheticModes.CreateLabelled(_mlContext, 32)));
        Assert.That(error!.Message, Does.Contain("GanQp"));
    }

    [TestCaseSource(nameof(EveryLossAndMethod))]
    public void EveryLossTrainsWithEveryConditioningMethod(GanLoss loss, ConditioningMethod method)
    {
        var options = Quick(o => { o.Loss = loss; o.Conditioning = method; o.MaxSteps = 3; o.LogEveryNSteps = 1; o.SpectralNormalization = loss == GanLoss.Hinge; });
        using ConditionalGanTransformer model = _mlContext.Gan().Trainers.ConditionalGan(options).Fit(SyntheticModes.CreateLabelled(_mlContext, 32));

        Assert.That(model.TrainingHistory, Has.Count.EqualTo(3));
        Assert.That(model.TrainingHistory.Select(r => r.DiscriminatorLoss).Concat(model.TrainingHistory.Select(r => r.GeneratorLoss)), Is.All.Matches<float>(float.IsFinite));
    }

    // With keyCount, LoadFromEnumerable reads the property as a 0-based class index (key = index + 1; out of range = missing).
    private IDataView Labelled<T>(Func<int, T> label, int keyCount = 0)
    {
        var rows = Enumerable.Range(0, 16).Select(i => new Row<T> { Image = SyntheticModes.Patterns[i % 4], Label = label(i) }).ToList();
        SchemaDefinition schema = SchemaDefinition.Create(typeof(Row<T>));
        schema["Image"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 1, SyntheticModes.Side, SyntheticModes.Side);
        if (keyCount > 0)
        {
            schema["Label"].ColumnType = new KeyDataViewType(typeof(T), keyCount);
        }
        return _mlContext.Data.LoadFromEnumerable(rows, schema);
    }

    private sealed class Row<T>
    {
        public float[] Image { get; set; } = Array.Empty<float>();

        public T Label { get; set; } = default!;
    }
}
