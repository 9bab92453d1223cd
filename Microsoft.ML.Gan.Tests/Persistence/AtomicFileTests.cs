using System;
using System.IO;
using System.Linq;
using Microsoft.ML.Gan.Persistence;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Persistence;

/// <summary>Files a user keeps are replaced whole or not at all, and output paths are checked up front.</summary>
[TestFixture]
public class AtomicFileTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder() => Directory.CreateDirectory(_folder = Path.Combine(Path.GetTempPath(), "gan-atomic-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void AWriteThatFailsHalfWayLeavesThePreviousFileAndNoTemporaryFile()
    {
        string path = Path.Combine(_folder, "model.zip");
        File.WriteAllText(path, "previous");

        var error = Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[10_000]);
            throw new IOException("No space left on device");
        }));

        Assert.That(error!.Message, Does.Contain($"Could not write '{path}'").And.Contain("No space left on device").And.Contain("previous file there is unchanged"));
        Assert.That(File.ReadAllText(path), Is.EqualTo("previous"));
        Assert.That(Directory.GetFiles(_folder).Select(Path.GetFileName), Is.EqualTo(new[] { "model.zip" }));
    }

    [Test]
    public void AFinishedWriteReplacesTheFileAndCreatesItsFolder()
    {
        string path = Path.Combine(_folder, "new", "latents.tsv");
        AtomicFile.WriteAllBytes(path, new byte[] { 1, 2, 3 });
        AtomicFile.WriteAllBytes(path, new byte[] { 4, 5 });
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(new byte[] { 4, 5 }));
        Assert.That(Directory.GetFiles(Path.GetDirectoryName(path)!), Has.Length.EqualTo(1));
    }

    [Test]
    public void OutputChecksNameTheOptionAndWhatWasExpected()
    {
        string file = Path.Combine(_folder, "file");
        File.WriteAllText(file, "x");

        Assert.That(() => AtomicFile.RequireWritableFolder(file, "--out"),
            Throws.ArgumentException.With.Message.Contains($"--out '{file}' is a file; a folder was expected"));
        Assert.That(() => AtomicFile.RequireWritableFolder(Path.Combine(file, "below"), "--samples-dir"),
            Throws.ArgumentException.With.Message.Contains("--samples-dir").And.Message.Contains("is not a writable folder"));
        Assert.That(() => AtomicFile.RequireWritableFile(_folder, "--grid"),
            Throws.ArgumentException.With.Message.Contains($"--grid '{_folder}' is a folder; a file was expected"));
        Assert.DoesNotThrow(() => AtomicFile.RequireWritableFolder(Path.Combine(_folder, "created"), "--out"));
        Assert.That(Directory.GetFiles(Path.Combine(_folder, "created")), Is.Empty, "the write probe leaves nothing behind");
    }
}
