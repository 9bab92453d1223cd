using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Persistence;
using Microsoft.ML.Gan.Tests.TestSupport;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Persistence;

[TestFixture]
public sealed class MlNetBridgeTests
{
    private sealed class InputRow
    {
        public float X { get; set; }
        public float Y { get; set; }
    }

    private sealed class OutputRow
    {
        public float Scaled { get; set; }
    }

    private static readonly InputRow[] s_rows =
    {
        new() { X = 1f, Y = -2f }, new() { X = 0.5f, Y = 3f }, new() { X = -4f, Y = 0.25f }, new() { X = 10f, Y = 7f },
    };

    private string _directory = "";

    [OneTimeSetUp]
    public void RegisterTestKinds() => ScaleTransformer.RegisterPayloadKinds();

    [SetUp]
    public void CreateDirectory()
    {
        _directory = Path.Combine(Path.GetTempPath(), "gan-persistence-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    private static MLContext RegisteredContext()
    {
        var mlContext = new MLContext(seed: 1);
        MlNetBridge.RegisterLoaders(mlContext);
        return mlContext;
    }

    private static float[] Column(IDataView data, string name) =>
        data.GetColumn<float>(data.Schema[name]).ToArray();

    private string SaveAlone(MLContext mlContext, ITransformer model, IDataView data, string name = "model.zip")
    {
        string path = Path.Combine(_directory, name);
        mlContext.Model.Save(model, data.Schema, path);
        return path;
    }

    private TransformerChain<ScaleTransformer> FitChain(MLContext mlContext, IDataView data) =>
        mlContext.Transforms.CopyColumns("XCopy", "X")
            .Append(mlContext.Transforms.NormalizeMinMax("XNorm", "X"))
            .Fit(data)
            .Append(new ScaleTransformer("XNorm", "Scaled", 2.5f));

    [TestCase(ScaleTransformer.Kind)]
    [TestCase(ScaleTransformer.TorchKind)]
    public void SaveLoad_RoundTrip_GivesIdenticalOutputs(string kind)
    {
        var mlContext = RegisteredContext();
        IDataView data = mlContext.Data.LoadFromEnumerable(s_rows);
        using var model = new ScaleTransformer("X", "Scaled", -1.75f, kind);
        string path = SaveAlone(mlContext, model, data);

        var loadContext = RegisteredContext();
        ITransformer loaded = loadContext.Model.Load(path, out DataViewSchema inputSchema);

        Assert.That(loaded, Is.TypeOf<ScaleTransformer>());
        var scale = (ScaleTransformer)loaded;
        Assert.That((scale.InputColumnName, scale.OutputColumnName, scale.Weight, scale.StoreInTorchModule),
            Is.EqualTo(("X", "Scaled", -1.75f, kind == ScaleTransformer.TorchKind)));
        Assert.That(inputSchema.Select(c => c.Name), Is.EqualTo(new[] { "X", "Y" }));
        Assert.That(Column(loaded.Transform(data), "Scaled"), Is.EqualTo(Column(model.Transform(data), "Scaled")));
        Assert.That(Column(loaded.Transform(data), "Scaled"), Is.EqualTo(s_rows.Select(r => r.X * -1.75f)));

        var engine = loadContext.Model.CreatePredictionEngine<InputRow, OutputRow>(loaded);
        Assert.That(engine.Predict(new InputRow { X = 2f }).Scaled, Is.EqualTo(-3.5f));
        scale.Dispose();
    }

    [Test]
    public void SaveLoad_InsideTransformerChain_WithMlNetTransforms_GivesIdenticalOutputs()
    {
        var mlContext = RegisteredContext();
        IDataView data = mlContext.Data.LoadFromEnumerable(s_rows);
        var chain = FitChain(mlContext, data);
        string path = SaveAlone(mlContext, chain, data);

        var loadContext = RegisteredContext();
        ITransformer loaded = loadContext.Model.Load(path, out _);

        var loadedChain = loaded as TransformerChain<ITransformer>;
        Assert.That(loadedChain, Is.Not.Null, $"loaded a {loaded.GetType()}");
        Assert.That(loadedChain!.Count(), Is.EqualTo(3));
        Assert.That(loadedChain!.Last(), Is.TypeOf<ScaleTransformer>());
        IDataView expected = chain.Transform(data), actual = loaded.Transform(data);
        foreach (string column in new[] { "XCopy", "XNorm", "Scaled" })
            Assert.That(Column(actual, column), Is.EqualTo(Column(expected, column)), column);

        var engine = loadContext.Model.CreatePredictionEngine<InputRow, OutputRow>(loaded);
        Assert.That(engine.Predict(s_rows[3]).Scaled, Is.EqualTo(Column(expected, "Scaled")[3]));
    }

    [Test]
    public void Load_InFreshProcess_GivesIdenticalOutputs()
    {
        var mlContext = RegisteredContext();
        IDataView data = mlContext.Data.LoadFromEnumerable(s_rows);
        var chain = FitChain(mlContext, data);
        string modelPath = SaveAlone(mlContext, chain, data);
        string inputPath = Path.Combine(_directory, "input.idv"), outputPath = Path.Combine(_directory, "output.idv");
        using (FileStream stream = File.Create(inputPath))
            mlContext.Data.SaveAsBinary(data, stream);

        FreshProcess.Result result = FreshProcess.LoadModel(modelPath, inputPath, outputPath, register: true, "XNorm", "Scaled");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.StandardError + result.StandardOutput);
        IDataView written = mlContext.Data.LoadFromBinary(outputPath);
        IDataView expected = chain.Transform(data);
        Assert.That(Column(written, "Scaled"), Is.EqualTo(Column(expected, "Scaled")));
        Assert.That(Column(written, "XNorm"), Is.EqualTo(Column(expected, "XNorm")));
    }

    [Test]
    public void Load_InFreshProcess_WithoutRegistration_NamesTheFix()
    {
        var mlContext = RegisteredContext();
        IDataView data = mlContext.Data.LoadFromEnumerable(s_rows);
        string modelPath = SaveAlone(mlContext, new ScaleTransformer("X", "Scaled", 3f), data);
        string inputPath = Path.Combine(_directory, "input.idv");
        using (FileStream stream = File.Create(inputPath))
            mlContext.Data.SaveAsBinary(data, stream);

        FreshProcess.Result result = FreshProcess.LoadModel(modelPath, inputPath, Path.Combine(_directory, "out.idv"), register: false);

        TestContext.Out.WriteLine(result.StandardError);
        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.StandardError, Does.Contain("call mlContext.Gan() before mlContext.Model.Load"));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Load_WithoutRegistration_NamesTheFix_AndWorksOnceRegistered(bool inChain)
    {
        var mlContext = RegisteredContext();
        IDataView data = mlContext.Data.LoadFromEnumerable(s_rows);
        ITransformer model = inChain ? FitChain(mlContext, data) : new ScaleTransformer("X", "Scaled", 3f);
        string path = SaveAlone(mlContext, model, data);

        var unregistered = new MLContext(seed: 1);
        Exception? error = Assert.Catch(() => unregistered.Model.Load(path, out _));

        TestContext.Out.WriteLine(Describe(error!));
        Assert.That(Describe(error!), Does.Contain(MlNetBridge.UnregisteredLoadersMessage));
        Exception? explained = MlNetBridge.ExplainLoadFailure(error!);
        Assert.That(explained, Is.TypeOf<InvalidOperationException>());
        Assert.That(explained!.Message, Does.Contain("Call mlContext.Gan() before mlContext.Model.Load"));
        Assert.That(explained.InnerException, Is.SameAs(error));

        // The failed load left the library's assembly known to that context's catalog: registering must still work.
        MlNetBridge.RegisterLoaders(unregistered);
        MlNetBridge.RegisterLoaders(unregistered);
        ITransformer loaded = unregistered.Model.Load(path, out _);
        Assert.That(Column(loaded.Transform(data), "Scaled"), Is.EqualTo(Column(model.Transform(data), "Scaled")));
    }

    [Test]
    public void Load_UnknownKind_ThrowsInvalidDataException_NamingKindAndKnownKinds()
    {
        var mlContext = RegisteredContext();
        IDataView data = mlContext.Data.LoadFromEnumerable(s_rows);
        string path = SaveAlone(mlContext, new ScaleTransformer("X", "Scaled", 3f, ScaleTransformer.UnregisteredKind), data);

        Exception? error = Assert.Catch(() => RegisteredContext().Model.Load(path, out _));

        TestContext.Out.WriteLine(Describe(error!));
        Exception? explained = MlNetBridge.ExplainLoadFailure(error!);
        Assert.That(explained, Is.TypeOf<InvalidDataException>());
        Assert.That(explained!.Message, Does.Contain($"'{ScaleTransformer.UnregisteredKind}'"));
        Assert.That(explained.Message, Does.Contain($"'{ScaleTransformer.Kind}'"));
    }

    [Test]
    public void RegisterPayloadReader_DifferentReaderForKnownKind_Throws()
    {
        Assert.DoesNotThrow(ScaleTransformer.RegisterPayloadKinds);
        Assert.Throws<InvalidOperationException>(() =>
            MlNetBridge.RegisterPayloadReader(ScaleTransformer.Kind, (_, _) => new ScaleTransformer("a", "b", 1f)));
    }

    [Test]
    public void Load_CorruptOrForeignFiles_Throw()
    {
        string random = Path.Combine(_directory, "random.zip");
        File.WriteAllBytes(random, Enumerable.Range(0, 4096).Select(i => (byte)(i * 7919 % 251)).ToArray());
        string foreign = Path.Combine(_directory, "foreign.zip");
        using (ZipArchive zip = ZipFile.Open(foreign, ZipArchiveMode.Create))
        using (StreamWriter writer = new(zip.CreateEntry("readme.txt").Open()))
            writer.Write("not a model");

        foreach (string path in new[] { random, foreign })
        {
            Exception? error = Assert.Catch(() => RegisteredContext().Model.Load(path, out _));
            TestContext.Out.WriteLine($"{Path.GetFileName(path)}: {Describe(error!)}");
            Assert.That(MlNetBridge.ExplainLoadFailure(error!), Is.Null);
        }
    }

    [Test]
    public void CreateColumn_BuildsColumnsUsableInSchemaShape()
    {
        var annotations = new SchemaShape(new[]
        {
            MlNetBridge.CreateColumn("SlotNames", SchemaShape.Column.VectorKind.Vector, TextDataViewType.Instance, isKey: false),
        });
        SchemaShape.Column image = MlNetBridge.CreateColumn("Image", SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false, annotations);
        SchemaShape.Column label = MlNetBridge.CreateColumn("Label", SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.UInt32, true);
        SchemaShape.Column text = MlNetBridge.CreateColumn("Text", SchemaShape.Column.VectorKind.VariableVector, TextDataViewType.Instance, false);

        var shape = new SchemaShape(new[] { image, label, text });

        Assert.That(shape.Select(c => (c.Name, c.Kind, c.ItemType, c.IsKey)), Is.EqualTo(new[]
        {
            ("Image", SchemaShape.Column.VectorKind.Vector, (DataViewType)NumberDataViewType.Single, false),
            ("Label", SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.UInt32, true),
            ("Text", SchemaShape.Column.VectorKind.VariableVector, TextDataViewType.Instance, false),
        }));
        Assert.That(shape[0].Annotations.Single().Name, Is.EqualTo("SlotNames"));
        Assert.That(shape[1].Annotations, Is.Empty);
        Assert.Throws<ArgumentException>(() => MlNetBridge.CreateColumn("V", SchemaShape.Column.VectorKind.Scalar,
            new VectorDataViewType(NumberDataViewType.Single, 3), false));
        Assert.Throws<ArgumentException>(() => MlNetBridge.CreateColumn("", SchemaShape.Column.VectorKind.Scalar,
            NumberDataViewType.Single, false));
    }

    [Test]
    public void ToSchemaShape_MatchesTheSchemaColumns()
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumn("Hidden", NumberDataViewType.Double);
        builder.AddColumn("Score", NumberDataViewType.Single);
        var slotNames = new DataViewSchema.Annotations.Builder();
        slotNames.Add("SlotNames", new VectorDataViewType(TextDataViewType.Instance, 3), (ref VBuffer<ReadOnlyMemory<char>> value) =>
            value = new VBuffer<ReadOnlyMemory<char>>(3, new[] { "a", "b", "c" }.Select(s => s.AsMemory()).ToArray()));
        builder.AddColumn("Pixels", new VectorDataViewType(NumberDataViewType.Single, 3), slotNames.ToAnnotations());
        builder.AddColumn("Tokens", new VectorDataViewType(TextDataViewType.Instance));
        builder.AddColumn("Label", new KeyDataViewType(typeof(uint), 10));
        builder.AddColumn("Hidden", BooleanDataViewType.Instance);
        DataViewSchema schema = builder.ToSchema();

        SchemaShape shape = MlNetBridge.ToSchemaShape(schema);

        Assert.That(shape.Select(c => (c.Name, c.Kind, c.ItemType, c.IsKey)), Is.EqualTo(new[]
        {
            ("Score", SchemaShape.Column.VectorKind.Scalar, (DataViewType)NumberDataViewType.Single, false),
            ("Pixels", SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false),
            ("Tokens", SchemaShape.Column.VectorKind.VariableVector, TextDataViewType.Instance, false),
            ("Label", SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.UInt32, true),
            ("Hidden", SchemaShape.Column.VectorKind.Scalar, BooleanDataViewType.Instance, false),
        }));
        Assert.That(shape[1].Annotations.Select(c => c.Name), Is.EqualTo(new[] { "SlotNames" }));
    }

    private static string Describe(Exception error)
    {
        var lines = new List<string>();
        for (Exception? current = error; current is not null; current = current.InnerException)
            lines.Add($"{current.GetType().FullName}: {current.Message}");
        return string.Join(Environment.NewLine + "  -> ", lines);
    }
}
