using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Tests.TestData;
using Microsoft.ML.Gan.Tests.TestSupport;
using Microsoft.ML.Transforms.Image;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Transformers;

/// <summary>
/// The columns of Generate's views are named by the caller (latentColumnName, imageColumnName and, for the conditional
/// GAN, labelColumnName), as ML.NET transforms take outputColumnName; the defaults are Latent, Image and the training
/// label column.
/// </summary>
[TestFixture]
public class GeneratedColumnNameTests
{
    private readonly MLContext _mlContext = new(seed: 1);
    private GanTransformer _gan = null!;
    private ConditionalGanTransformer _conditional = null!;
    private OGanTransformer _ogan = null!;

    public sealed class RenamedSample
    {
        [ColumnName("Z"), VectorType(4)]
        public float[] Z { get; set; } = Array.Empty<float>();

        [ColumnName("Sample"), ImageType(8, 8)]
        public MLImage Sample { get; set; } = null!;
    }

    public sealed class GeneratedForEncoding
    {
        [VectorType(4)]
        public float[] Z { get; set; } = Array.Empty<float>();

        [ImageType(8, 8)]
        public MLImage Image { get; set; } = null!;
    }

    public sealed class Code
    {
        [VectorType(4)]
        public float[] Latent { get; set; } = Array.Empty<float>();
    }

    [OneTimeSetUp]
    public void CreateModels()
    {
        _gan = (GanTransformer)UntrainedModels.Create(_mlContext, "Gan");
        _conditional = (ConditionalGanTransformer)UntrainedModels.Create(_mlContext, "Conditional");
        _ogan = (OGanTransformer)UntrainedModels.Create(_mlContext, "OGan");
    }

    [OneTimeTearDown]
    public void DisposeModels()
    {
        _gan.Dispose();
        _conditional.Dispose();
        _ogan.Dispose();
    }

    [Test]
    public void DefaultNames_AreLatentImageAndTheTrainingLabel()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Names(_gan.Generate(2, seed: 1)), Is.EqualTo(new[] { "Latent", "Image" }));
            Assert.That(Names(_gan.Generate(2, seed: 1, startIndex: 5)), Is.EqualTo(new[] { "Latent", "Image" }));
            Assert.That(Names(_ogan.Generate(2, seed: 1)), Is.EqualTo(new[] { "Latent", "Image" }));
            Assert.That(Names(_conditional.Generate(2, seed: 1)), Is.EqualTo(new[] { "Label", "Latent", "Image" }));
            Assert.That(Names(_conditional.Generate(2, "top", seed: 1)), Is.EqualTo(new[] { "Label", "Latent", "Image" }));
        });
    }

    [Test]
    public void CustomNames_NameTheColumns_AndChangeNoValue()
    {
        IDataView renamed = _gan.Generate(3, seed: 4, latentColumnName: "Z", imageColumnName: "Sample");
        IDataView plain = _gan.Generate(3, seed: 4);
        IDataView renamedShard = _gan.Generate(2, seed: 4, startIndex: 1, latentColumnName: "Z", imageColumnName: "Sample");
        IDataView renamedOGan = _ogan.Generate(3, seed: 4, latentColumnName: "Z", imageColumnName: "Sample");

        Assert.That(Names(renamed), Is.EqualTo(new[] { "Z", "Sample" }));
        Assert.That(renamed.Schema["Z"].Type, Is.EqualTo(plain.Schema["Latent"].Type));
        Assert.That(renamed.Schema["Sample"].Type, Is.EqualTo(new ImageDataViewType(8, 8)));
        Assert.That(renamed.GetColumn<float[]>("Z").ToArray(), Is.EqualTo(plain.GetColumn<float[]>("Latent").ToArray()));
        Assert.That(GeneratedImages.ReadGray(renamed, "Sample"), Is.EqualTo(GeneratedImages.ReadGray(plain)));
        Assert.That(GeneratedImages.ReadGray(renamedShard, "Sample"), Is.EqualTo(GeneratedImages.ReadGray(plain).Skip(1)));
        Assert.That(Names(renamedOGan), Is.EqualTo(new[] { "Z", "Sample" }));
        Assert.That(GeneratedImages.ReadGray(renamedOGan, "Sample"), Is.EqualTo(GeneratedImages.ReadGray(_ogan.Generate(3, seed: 4))));
    }

    [Test]
    public void ConditionalLabelColumn_TakesTheGivenName_WithTheKeyTypeAndItsValues()
    {
        IDataView renamed = _conditional.Generate(4, "middle", seed: 2, labelColumnName: "Class", latentColumnName: "Z", imageColumnName: "Sample");
        IDataView byKey = _conditional.Generate(4, 2u, seed: 2, labelColumnName: "Class");
        IDataView plain = _conditional.Generate(4, "middle", seed: 2);

        Assert.That(Names(renamed), Is.EqualTo(new[] { "Class", "Z", "Sample" }));
        Assert.That(Names(byKey), Is.EqualTo(new[] { "Class", "Latent", "Image" }));
        Assert.That(renamed.Schema["Class"].Type, Is.EqualTo(plain.Schema["Label"].Type));
        VBuffer<ReadOnlyMemory<char>> keyValues = default;
        renamed.Schema["Class"].GetKeyValues(ref keyValues);
        Assert.That(keyValues.DenseValues().Select(value => value.ToString()), Is.EqualTo(new[] { "top", "middle", "bottom" }));
        Assert.That(renamed.GetColumn<uint>("Class").ToArray(), Is.EqualTo(plain.GetColumn<uint>("Label").ToArray()));
        Assert.That(GeneratedImages.ReadGray(renamed, "Sample"), Is.EqualTo(GeneratedImages.ReadGray(plain)));
        Assert.That(GeneratedImages.ReadGray(byKey), Is.EqualTo(GeneratedImages.ReadGray(plain)));
    }

    [TestCase("", "Image", "latentColumnName")]
    [TestCase(" ", "Image", "latentColumnName")]
    [TestCase(null, "Image", "latentColumnName")]
    [TestCase("Latent", "", "imageColumnName")]
    [TestCase("Same", "Same", "imageColumnName")]
    public void BadNames_AreRefusedNamingTheParameter_BeforeAnyRowIsRead(string? latent, string image, string parameter)
    {
        var errors = new[]
        {
            Assert.Throws<ArgumentException>(() => _gan.Generate(1, seed: 1, latentColumnName: latent!, imageColumnName: image)),
            Assert.Throws<ArgumentException>(() => _gan.Generate(1, seed: 1, startIndex: 3, latentColumnName: latent!, imageColumnName: image)),
            Assert.Throws<ArgumentException>(() => _ogan.Generate(1, seed: 1, latentColumnName: latent!, imageColumnName: image)),
            Assert.Throws<ArgumentException>(() => _conditional.Generate(1, "top", seed: 1, latentColumnName: latent!, imageColumnName: image)),
        };
        Assert.That(errors.Select(error => error!.ParamName), Is.All.EqualTo(parameter));
    }

    [Test]
    public void ConditionalLabelName_ThatRepeatsAnotherColumn_IsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => _conditional.Generate(1, seed: 1, labelColumnName: "Latent"));
        var blank = Assert.Throws<ArgumentException>(() => _conditional.Generate(1, 1u, seed: 1, labelColumnName: ""));

        Assert.That(error!.ParamName, Is.EqualTo("latentColumnName"));
        Assert.That(error.Message, Does.Contain("labelColumnName").And.Contain("'Latent'"));
        Assert.That(blank!.ParamName, Is.EqualTo("labelColumnName"));
    }

    [TestCase("Gan")]
    [TestCase("Conditional")]
    [TestCase("OGan")]
    public void LoadedModel_GeneratesTheSameRowsUnderTheSameNames(string kind)
    {
        ITransformer original = kind switch { "Gan" => _gan, "Conditional" => _conditional, _ => _ogan };
        ITransformer loaded = ModelZip.Load(ModelZip.Save(_mlContext, original), new MLContext(seed: 9));
        try
        {
            IDataView before = Generate(original, "Z", "Sample");
            IDataView after = Generate(loaded, "Z", "Sample");
            Assert.That(Names(after), Is.EqualTo(Names(before)));
            Assert.That(Names(Generate(loaded, "Latent", "Image")).TakeLast(2), Is.EqualTo(new[] { "Latent", "Image" }));
            Assert.That(GeneratedImages.ReadGray(after, "Sample"), Is.EqualTo(GeneratedImages.ReadGray(before, "Sample")));
        }
        finally
        {
            ((IDisposable)loaded).Dispose();
        }
    }

    [Test]
    public void CreateEnumerable_ReadsRenamedColumns()
    {
        List<RenamedSample> rows = _mlContext.Data.CreateEnumerable<RenamedSample>(
            _gan.Generate(3, seed: 6, latentColumnName: "Z", imageColumnName: "Sample"), reuseRowObject: false).ToList();
        float[][] latents = _gan.Generate(3, seed: 6).GetColumn<float[]>("Latent").ToArray();

        Assert.That(rows.Select(row => row.Z), Is.EqualTo(latents));
        Assert.That(rows.Select(row => (row.Sample.Width, row.Sample.Height)), Is.All.EqualTo((8, 8)));
        rows.ForEach(row => row.Sample.Dispose());
    }

    [Test]
    public void OGanSamples_KeepTheirLatentBesideTheCodeTransformAdds_AlsoThroughAPredictionEngine()
    {
        IDataView generated = _ogan.Generate(3, seed: 8, latentColumnName: "Z");
        IDataView encoded = _ogan.Transform(generated);
        using PredictionEngine<GeneratedForEncoding, Code> engine = _mlContext.Model.CreatePredictionEngine<GeneratedForEncoding, Code>(
            _ogan, new PredictionEngineOptions { OwnsTransformer = false });

        float[][] codes = encoded.GetColumn<float[]>("Latent").ToArray();
        List<GeneratedForEncoding> samples = _mlContext.Data.CreateEnumerable<GeneratedForEncoding>(generated, reuseRowObject: false).ToList();

        Assert.That(encoded.GetColumn<float[]>("Z").ToArray(), Is.EqualTo(generated.GetColumn<float[]>("Z").ToArray()), "z is not hidden by the code");
        Assert.That(codes, Is.Not.EqualTo(encoded.GetColumn<float[]>("Z").ToArray()));
        Assert.That(samples.Select(sample => engine.Predict(sample).Latent), Is.EqualTo(codes));
        samples.ForEach(sample => sample.Image.Dispose());
    }

    private static IDataView Generate(ITransformer model, string latent, string image) => model switch
    {
        GanTransformer gan => gan.Generate(3, seed: 5, latentColumnName: latent, imageColumnName: image),
        ConditionalGanTransformer conditional => conditional.Generate(3, seed: 5, latentColumnName: latent, imageColumnName: image),
        OGanTransformer ogan => ogan.Generate(3, seed: 5, latentColumnName: latent, imageColumnName: image),
        _ => throw new ArgumentException(model.GetType().Name),
    };

    private static string[] Names(IDataView view) => view.Schema.Select(column => column.Name).ToArray();
}
