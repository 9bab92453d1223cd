using System;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Tests.TestData;
using Microsoft.ML.Gan.Tests.TestSupport;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Persistence;

/// <summary>
/// <c>mlContext.Gan().LoadModel</c> and <c>GetGanModel&lt;T&gt;()</c>: loading needs no separate registration, the
/// library's load errors come out on top, and the GAN comes out of a loaded chain without casts.
/// </summary>
[TestFixture]
public class LoadModelTests
{
    private readonly MLContext _mlContext = new(seed: 1);
    private string _folder = null!;

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "gan-loadmodel-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private string PathFor(string name) => Path.Combine(_folder, name);

    // CopyColumns, then the GAN of `kind`: a chain as a pipeline's Fit returns it.
    private TransformerChain<ITransformer> Chain(string kind, IDataView data) => new(
        _mlContext.Transforms.CopyColumns("Original", "Image").Fit(data),
        UntrainedModels.Create(_mlContext, kind));

    private static void DisposeGans(ITransformer model)
    {
        foreach (IDisposable part in ((model as TransformerChain<ITransformer>)?.AsEnumerable() ?? new[] { model }).OfType<IDisposable>())
            part.Dispose();
    }

    [Test]
    public void LoadModel_InAFreshProcess_NeedsNoOtherCall()
    {
        IDataView data = SyntheticModes.Create(_mlContext, 6);
        TransformerChain<ITransformer> chain = Chain("Gan", data);
        _mlContext.Model.Save(chain, data.Schema, PathFor("chain.zip"));
        using (FileStream input = File.Create(PathFor("input.idv")))
            _mlContext.Data.SaveAsBinary(data, input);

        FreshProcess.Result result = FreshProcess.LoadModelThroughCatalog(PathFor("chain.zip"), PathFor("input.idv"), PathFor("output.idv"), "Score");

        Assert.That(result.ExitCode, Is.Zero, result.StandardError);
        float[] fresh = _mlContext.Data.LoadFromBinary(PathFor("output.idv")).GetColumn<float>("Score").ToArray();
        Assert.That(fresh, Is.EqualTo(chain.Transform(data).GetColumn<float>("Score").ToArray()));
        DisposeGans(chain);
    }

    [TestCase(false)]
    [TestCase(true)]
    public void LoadModel_DamagedFile_ThrowsTheLibrarysErrorOnTop(bool inChain)
    {
        IDataView data = SyntheticModes.Create(_mlContext, 2);
        ITransformer model = inChain ? Chain("Gan", data) : UntrainedModels.Create(_mlContext, "Gan");
        byte[] zip = ModelZip.Save(_mlContext, model);
        DisposeGans(model);
        byte[] entry = ModelZip.PayloadEntry(zip);
        entry[entry.Length / 2] ^= 0x10;
        File.WriteAllBytes(PathFor("damaged.zip"), ModelZip.WithPayloadEntry(zip, entry));

        var error = Assert.Throws<InvalidDataException>(() => new MLContext().Gan().LoadModel(PathFor("damaged.zip"), out _));
        Assert.That(error!.Message, Does.Contain("damaged").And.Contain(ModelZip.PayloadEntryName(zip)));

        using var stream = File.OpenRead(PathFor("damaged.zip"));
        Assert.Throws<InvalidDataException>(() => new MLContext().Gan().LoadModel(stream, out _));
    }

    [Test]
    public void LoadModel_MissingFile_ThrowsFileNotFound_NamingIt()
    {
        var error = Assert.Throws<FileNotFoundException>(() => new MLContext().Gan().LoadModel(PathFor("absent.zip"), out _));
        Assert.That(error!.Message, Does.Contain(PathFor("absent.zip")));
    }

    [TestCase("Gan", typeof(GanTransformer), false)]
    [TestCase("Gan", typeof(GanTransformer), true)]
    [TestCase("Conditional", typeof(ConditionalGanTransformer), true)]
    [TestCase("OGan", typeof(OGanTransformer), false)]
    [TestCase("OGan", typeof(OGanTransformer), true)]
    public void LoadModelOfT_ReturnsTheGan_SavedAloneOrInAChain(string kind, Type expected, bool inChain)
    {
        IDataView data = SyntheticModes.Create(_mlContext, 2);
        ITransformer model = inChain ? Chain(kind, data) : UntrainedModels.Create(_mlContext, kind);
        _mlContext.Model.Save(model, data.Schema, PathFor("model.zip"));
        DisposeGans(model);

        GanCatalog gan = new MLContext().Gan();
        ITransformer loaded = expected == typeof(GanTransformer) ? gan.LoadModel<GanTransformer>(PathFor("model.zip"))
            : expected == typeof(ConditionalGanTransformer) ? gan.LoadModel<ConditionalGanTransformer>(PathFor("model.zip"))
            : gan.LoadModel<OGanTransformer>(PathFor("model.zip"));

        Assert.That(loaded, Is.TypeOf(expected));
        DisposeGans(loaded);
    }

    [TestCase("Gan", typeof(GanTransformer))]
    [TestCase("Conditional", typeof(ConditionalGanTransformer))]
    [TestCase("OGan", typeof(OGanTransformer))]
    public void LoadModelOfTheSharedBase_ReturnsAnyOfTheThreeGans(string kind, Type expected)
    {
        IDataView data = SyntheticModes.Create(_mlContext, 2);
        TransformerChain<ITransformer> chain = Chain(kind, data);
        _mlContext.Model.Save(chain, data.Schema, PathFor("model.zip"));
        int latent = ((GanTransformerBase)chain.Last()).LatentDimension;
        DisposeGans(chain);

        using GanTransformerBase loaded = new MLContext().Gan().LoadModel<GanTransformerBase>(PathFor("model.zip"));

        Assert.That(loaded, Is.TypeOf(expected));
        Assert.That(loaded.LatentDimension, Is.EqualTo(latent));
        Assert.That(loaded.ImageColumnName, Is.EqualTo("Image"));
    }

    [Test]
    public void LoadModelOfT_FileWithoutThatModel_NamesTheFileAndWhatItHolds()
    {
        IDataView data = SyntheticModes.Create(_mlContext, 2);
        TransformerChain<ITransformer> chain = Chain("OGan", data);
        _mlContext.Model.Save(chain, data.Schema, PathFor("ogan.zip"));
        DisposeGans(chain);

        var error = Assert.Throws<ArgumentException>(() => new MLContext().Gan().LoadModel<GanTransformer>(PathFor("ogan.zip")));

        Assert.That(error!.Message, Does.Contain($"'{PathFor("ogan.zip")}' holds no GanTransformer")
            .And.Contain("TransformerChain [ColumnCopyingTransformer, OGanTransformer]"));
    }

    [Test]
    public void GetGanModel_FindsTheGanInALoadedChain_EvenANestedOne()
    {
        IDataView data = SyntheticModes.Create(_mlContext, 2);
        var nested = new TransformerChain<ITransformer>(_mlContext.Transforms.CopyColumns("Copy", "Image").Fit(data), Chain("Gan", data));
        _mlContext.Model.Save(nested, data.Schema, PathFor("nested.zip"));

        ITransformer loaded = new MLContext().Gan().LoadModel(PathFor("nested.zip"), out DataViewSchema inputSchema);
        using GanTransformer gan = loaded.GetGanModel<GanTransformer>();

        Assert.That(inputSchema.Select(c => c.Name), Is.EqualTo(data.Schema.Select(c => c.Name)));
        Assert.That(GeneratedImages.ReadGray(gan.Generate(3, seed: 5)),
            Is.EqualTo(GeneratedImages.ReadGray(nested.GetGanModel<GanTransformer>().Generate(3, seed: 5))));
        nested.GetGanModel<GanTransformer>().Dispose();
    }

    [Test]
    public void GetGanModel_ModelWithoutIt_NamesWhatItHolds()
    {
        IDataView data = SyntheticModes.Create(_mlContext, 2);
        ITransformer copy = _mlContext.Transforms.CopyColumns("Copy", "Image").Fit(data);

        var error = Assert.Throws<ArgumentException>(() => new TransformerChain<ITransformer>(copy).GetGanModel<OGanTransformer>());

        Assert.That(error!.Message, Does.Contain("The model holds no OGanTransformer: it holds TransformerChain [ColumnCopyingTransformer]"));
    }
}
