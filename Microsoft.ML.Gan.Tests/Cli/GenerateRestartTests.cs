using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.Gan.Cli;
using Microsoft.ML.Gan.Tests.TestData;
using Microsoft.ML.Gan.Tests.TestSupport;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Cli;

/// <summary>
/// <c>gan generate</c> as a shard of a batch job that gets killed or stopped: the tool runs in a child process, is sent
/// SIGKILL or SIGTERM part way, and the same command with <c>--skip-existing</c> then finishes the folder so that it
/// equals an uninterrupted run's, file for file and byte for byte.
/// </summary>
[TestFixture]
public class GenerateRestartTests
{
    private const int Count = 4000;
    private string _folder = null!;
    private string _model = null!;
    private SortedDictionary<string, byte[]> _uninterrupted = null!;

    [OneTimeSetUp]
    public void GenerateUninterrupted()
    {
        Directory.CreateDirectory(_folder = Path.Combine(Path.GetTempPath(), "gan-generate-restart-" + Guid.NewGuid().ToString("N")));
        _model = GenerationModelFiles.Save(Path.Combine(_folder, "model.zip"));
        string whole = Path.Combine(_folder, "whole");
        CliResult result = CliRunner.Run(Arguments(whole));
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        _uninterrupted = GenerationModelFiles.Contents(whole);
        Assert.That(_uninterrupted, Has.Count.EqualTo(Count + 1), "the images and gan-generate.json");
    }

    [OneTimeTearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private string[] Arguments(string output, params string[] extra) =>
        new[] { "generate", "--model", _model, "--count", Count.ToString(), "--seed", "9", "--start-index", "1000", "--progress", "lines", "--output", output }
            .Concat(extra).ToArray();

    [Test]
    public void KilledMidRunThenContinuedWithSkipExistingEqualsAnUninterruptedRun()
    {
        string killed = Path.Combine(_folder, "killed");
        int before = StopAfterFirstProgressLine(killed, GanProcess.SigKill).Written;

        CliResult continued = CliRunner.Run(Arguments(killed, "--skip-existing"));

        Assert.That(continued.ExitCode, Is.Zero, continued.ToString());
        Assert.That(continued.Output, Does.Contain($"Wrote {Count - before} images").And.Contain($"{before} were already there"));
        AssertEqualsUninterrupted(killed);
    }

    [Test]
    public void SigtermStopsWithOnlyWholeFilesAndExitCode143ThenSkipExistingFinishes()
    {
        string stopped = Path.Combine(_folder, "stopped");
        (int written, int exitCode, string error) = StopAfterFirstProgressLine(stopped, GanProcess.SigTerm);

        Assert.That(exitCode, Is.EqualTo(ExitCodes.Terminated), error);
        Assert.That(error, Does.Contain("SIGTERM: stopping").And.Contain($"stopped after writing {written} of {Count} images"));
        Assert.That(Directory.GetFiles(stopped).Select(Path.GetFileName).Where(name => name!.StartsWith('.')), Is.Empty, "no temporary file is left");
        foreach ((string name, byte[] bytes) in GenerationModelFiles.Contents(stopped))
        {
            Assert.That(bytes, Is.EqualTo(_uninterrupted[name]), name);
        }

        CliResult continued = CliRunner.Run(Arguments(stopped, "--skip-existing"));
        Assert.That(continued.ExitCode, Is.Zero, continued.ToString());
        AssertEqualsUninterrupted(stopped);
    }

    // Starts the shard in a child process, signals it once it has reported its first written chunk, and returns how
    // many images it left (checked to be part of the run, not all of it or none).
    private (int Written, int ExitCode, string Error) StopAfterFirstProgressLine(string output, int signal)
    {
        int exitCode;
        string error;
        using (GanProcess gan = GanProcess.Start(_folder, Arguments(output)))
        {
            gan.WaitForLine(line => line.Contains($"/{Count} images", StringComparison.Ordinal));
            gan.Signal(signal);
            (exitCode, _, error) = gan.WaitForExit();
        }
        int written = Directory.GetFiles(output, "image_*.png").Length;
        Assert.That(written, Is.InRange(1, Count - 1), "the signal arrived part way through the run");
        return (written, exitCode, error);
    }

    private void AssertEqualsUninterrupted(string output)
    {
        SortedDictionary<string, byte[]> contents = GenerationModelFiles.Contents(output);
        Assert.That(contents.Keys, Is.EqualTo(_uninterrupted.Keys), "the same files, and no temporary ones");
        foreach ((string name, byte[] bytes) in contents)
        {
            Assert.That(bytes, Is.EqualTo(_uninterrupted[name]), name);
        }
    }
}
