using System;
using System.IO;
using Microsoft.ML.Gan.Tests.TestData;
using Microsoft.ML.Gan.Tests.TestSupport;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Cli;

/// <summary>A damaged model.zip given to a command is a bad argument that names the file and says it is damaged.</summary>
[TestFixture]
public class DamagedModelCliTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "gan-damaged-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void GenerateFromADamagedModelNamesTheFileAndGeneratesNothing()
    {
        var mlContext = new MLContext(seed: 1);
        ITransformer model = UntrainedModels.Create(mlContext, "Gan");
        byte[] zip = ModelZip.Save(mlContext, model);
        (model as IDisposable)?.Dispose();
        byte[] entry = ModelZip.PayloadEntry(zip);
        entry[entry.Length / 2] ^= 0x04;
        string path = Path.Combine(_folder, "model.zip");
        File.WriteAllBytes(path, ModelZip.WithPayloadEntry(zip, entry));
        string output = Path.Combine(_folder, "generated");

        var result = CliRunner.Run("generate", "--model", path, "--count", "4", "--out", output);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Error);
        Assert.That(result.Error, Does.Contain($"'{path}' cannot be loaded: The model file is damaged").And.Not.Contain("   at "));
        Assert.That(Directory.Exists(output) ? Directory.GetFiles(output) : Array.Empty<string>(), Is.Empty);
    }
}
