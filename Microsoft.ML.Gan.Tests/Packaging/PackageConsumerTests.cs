using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Packaging;

/// <summary>
/// Packs Microsoft.ML.Gan into a local folder feed and builds a user's console app OUTSIDE the solution against the
/// PACKAGE: with TorchSharp-cpu it trains, saves, and a second process loads the model and reproduces the generated
/// pixels (on Debian 12 this also proves the package's buildTransitive libstdc++ step), on each supported Microsoft.ML
/// version and across them (saved on one, loaded on the other); without a backend it gets the library's missing-backend
/// message.
/// </summary>
/// <remarks>
/// Isolation: the package gets a unique version (0.1.0-consumertest-…), and the consumer restores with its own
/// nuget.config whose globalPackagesFolder is private to this test, with the machine's packages folder as a fallback
/// folder (TorchSharp-cpu, ML.NET: read in place, never copied) and the machine's sources plus the local feed. So only
/// Microsoft.ML.Gan lands in the private folder, and a stale Microsoft.ML.Gan can never be picked up. Everything lives
/// in one temporary folder, deleted afterwards; builds run without build servers, so no process outlives the test.
/// </remarks>
[TestFixture]
[NonParallelizable]
public class PackageConsumerTests
{
    private const string ConsumerProject = "Consumer";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(4);

    private string _root = null!;
    private string _feed = null!;
    private string _privatePackages = null!;
    private string _version = null!;
    private string _repository = null!;

    [OneTimeSetUp]
    public void PackTheLibrary()
    {
        _repository = FindRepositoryRoot();
        _root = Path.Combine(Path.GetTempPath(), "gan-package-" + Guid.NewGuid().ToString("N")[..12]);
        _feed = Path.Combine(_root, "feed");
        _privatePackages = Path.Combine(_root, "packages");
        Directory.CreateDirectory(_feed);
        Directory.CreateDirectory(_privatePackages);

        string suffix = "consumertest-" + Guid.NewGuid().ToString("N")[..12];
        // The library's own build and restore stay outside the repository's bin/ and obj/ (artifacts path).
        Run(_repository, useMachinePackages: true, "pack", Path.Combine(_repository, "Microsoft.ML.Gan", "Microsoft.ML.Gan.csproj"),
            "-c", "Release", "-o", _feed, "--version-suffix", suffix, "--artifacts-path", Path.Combine(_root, "artifacts"),
            "--disable-build-servers", "-nologo").AssertSucceeded("dotnet pack");
        string package = Directory.GetFiles(_feed, "Microsoft.ML.Gan.*.nupkg").Single();
        _version = Path.GetFileNameWithoutExtension(package)["Microsoft.ML.Gan.".Length..];
        Assert.That(_version, Is.EqualTo("0.1.0-" + suffix));

        File.WriteAllText(Path.Combine(_root, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{_privatePackages}" />
              </config>
              <packageSources>
                <add key="microsoft-ml-gan-local" value="{_feed}" />
              </packageSources>
              <fallbackPackageFolders>
                <clear />
                <add key="machine" value="{MachinePackagesFolder()}" />
              </fallbackPackageFolders>
            </configuration>
            """);
    }

    [OneTimeTearDown]
    public void DeleteTemporaryFolder()
    {
        if (_root != null && Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    /// <summary>The Microsoft.ML versions the package supports (its dependency range is [5.0.1, 7.0.0)).</summary>
    private static readonly string[] MlNetVersions = { "5.0.1", "6.0.0" };

    [TestCaseSource(nameof(MlNetVersions))]
    public void ConsumerAppWithTorchSharpCpuTrainsSavesAndLoadsInANewProcess(string mlNetVersion)
    {
        string app = Consumer(mlNetVersion);
        string work = Directory.CreateDirectory(Path.Combine(_root, "run-" + mlNetVersion)).FullName;

        CommandResult train = RunApp(app, "train", work);
        train.AssertSucceeded("consumer train");
        Assert.That(train.Output, Does.Contain($"ML.NET {mlNetVersion}").And.Contain("trained"));
        Assert.That(File.Exists(Path.Combine(work, "model.zip")), Is.True);

        CommandResult load = RunApp(app, "load", work);
        load.AssertSucceeded("consumer load (a new process)");
        Assert.That(load.Output, Does.Contain("pixels match (4 images)"));
    }

    [TestCase("5.0.1", "6.0.0")]
    [TestCase("6.0.0", "5.0.1")]
    public void ModelSavedUnderOneMlNetVersionLoadsUnderTheOther(string savedWith, string loadedWith)
    {
        string work = Directory.CreateDirectory(Path.Combine(_root, $"run-{savedWith}-to-{loadedWith}")).FullName;
        RunApp(Consumer(savedWith), "train", work).AssertSucceeded($"consumer train on ML.NET {savedWith}");

        CommandResult load = RunApp(Consumer(loadedWith), "load", work);

        load.AssertSucceeded($"consumer load on ML.NET {loadedWith}");
        Assert.That(load.Output, Does.Contain($"ML.NET {loadedWith}").And.Contain("pixels match (4 images)"));
    }

    [Test]
    public void ConsumerAppWithoutBackendGetsTheMissingBackendMessage()
    {
        string app = CreateConsumer("no-backend", withBackend: false);
        string work = Directory.CreateDirectory(Path.Combine(app, "run")).FullName;

        CommandResult train = RunApp(app, "train", work);

        Assert.That(train.ExitCode, Is.EqualTo(1), train.Describe());
        Assert.That(train.Error, Does.StartWith(
            "System.InvalidOperationException: Microsoft.ML.Gan needs a TorchSharp native backend: add the package TorchSharp-cpu " +
            "(or TorchSharp-cuda-linux / TorchSharp-cuda-windows) to your application"), train.Describe());
    }

    [Test]
    public void ReadmeQuickStartCompilesAndRunsAgainstThePackage()
    {
        string quickStart = ReadmeQuickStart();
        // The one change made to the snippet: three updates instead of five epochs.
        const string length = "Epochs = 5,";
        Assert.That(quickStart, Does.Contain(length), "The README quick start's training length changed: update the cap this test applies.");
        string app = CreateConsumer("readme-quick-start", withBackend: true, program: quickStart.Replace(length, length + " MaxSteps = 3,"));
        // The snippet reads data/fashion-mnist/ relative to where it runs, as an app next to a copy of the repository's data/.
        string data = Directory.CreateDirectory(Path.Combine(app, "data", "fashion-mnist")).FullName;
        File.Copy(Path.Combine(_repository, "data", "fashion-mnist", "t10k-images-idx3-ubyte.gz"), Path.Combine(data, "t10k-images-idx3-ubyte.gz"));

        CommandResult run = Run(app, useMachinePackages: false, Path.Combine(app, "bin", "Release", "net10.0", ConsumerProject + ".dll"));

        run.AssertSucceeded("README quick start");
        Assert.That(Directory.GetFiles(Path.Combine(app, "generated"), "*.png"), Has.Length.EqualTo(10_000));
        Assert.That(File.Exists(Path.Combine(app, "grid.png")) && File.Exists(Path.Combine(app, "model.zip")), Is.True);
    }

    // The first C# block after README.md's "## Quick start in C#" heading.
    private string ReadmeQuickStart()
    {
        string readme = File.ReadAllText(Path.Combine(_repository, "README.md"));
        int section = readme.IndexOf("## Quick start in C#", StringComparison.Ordinal);
        Assert.That(section, Is.GreaterThanOrEqualTo(0), "README.md has no '## Quick start in C#' section.");
        const string open = "```csharp\n", close = "```";
        int start = readme.IndexOf(open, section, StringComparison.Ordinal) + open.Length;
        return readme[start..readme.IndexOf(close, start, StringComparison.Ordinal)];
    }

    // One consumer app with the backend per ML.NET version, built once for all the tests that use it.
    private readonly Dictionary<string, string> _consumers = new();

    private string Consumer(string mlNetVersion)
    {
        if (!_consumers.TryGetValue(mlNetVersion, out string? app))
        {
            _consumers[mlNetVersion] = app = CreateConsumer("mlnet-" + mlNetVersion, withBackend: true, mlNetVersion);
        }
        return app;
    }

    // A console app in its own folder under the temporary root (no Directory.Build.* of this repository above it). With
    // mlNetVersion, it references that Microsoft.ML and Microsoft.ML.ImageAnalytics itself, as an app on that version does.
    // program: the app's Program.cs; by default Packaging/ConsumerApp/Program.cs.
    private string CreateConsumer(string name, bool withBackend, string? mlNetVersion = null, string? program = null)
    {
        string app = Directory.CreateDirectory(Path.Combine(_root, name)).FullName;
        File.WriteAllText(Path.Combine(app, "Program.cs"),
            program ?? File.ReadAllText(Path.Combine(_repository, "Microsoft.ML.Gan.Tests", "Packaging", "ConsumerApp", "Program.cs")));
        string backend = withBackend ? """<PackageReference Include="TorchSharp-cpu" Version="0.107.0" />""" : "";
        string mlNet = mlNetVersion is null ? "" : $"""
            <PackageReference Include="Microsoft.ML" Version="{mlNetVersion}" />
                <PackageReference Include="Microsoft.ML.ImageAnalytics" Version="{mlNetVersion}" />
            """;
        File.WriteAllText(Path.Combine(app, ConsumerProject + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Microsoft.ML.Gan" Version="{_version}" />
                {backend}
                {mlNet}
              </ItemGroup>
            </Project>
            """);
        Run(app, useMachinePackages: false, "build", "-c", "Release", "--disable-build-servers", "-nologo").AssertSucceeded($"dotnet build ({name})");
        Assert.That(Directory.Exists(Path.Combine(_privatePackages, "microsoft.ml.gan", _version)), Is.True,
            "Microsoft.ML.Gan should be restored from the local feed into the private packages folder.");
        return app;
    }

    private CommandResult RunApp(string app, string command, string work) =>
        Run(app, useMachinePackages: false, Path.Combine(app, "bin", "Release", "net10.0", ConsumerProject + ".dll"), command, work);

    /// <summary>Runs the dotnet host. Without <paramref name="useMachinePackages"/>, NUGET_PACKAGES is the private folder.</summary>
    private CommandResult Run(string workingDirectory, bool useMachinePackages, params string[] arguments)
    {
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        // The test host may carry the outer build's MSBuild settings; the child picks its own.
        foreach (string variable in new[] { "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "MSBuildLoadMicrosoftTargetsReadOnly" })
            start.Environment.Remove(variable);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        // The consumer's restore and TorchSharp's own fallback probing both see only the private folder.
        if (useMachinePackages)
            start.Environment.Remove("NUGET_PACKAGES");
        else
            start.Environment["NUGET_PACKAGES"] = _privatePackages;

        var stopwatch = Stopwatch.StartNew();
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start '{dotnet}'.");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(CommandTimeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"'dotnet {string.Join(' ', arguments)}' did not finish in {CommandTimeout.TotalMinutes} minutes.");
        }
        process.WaitForExit();
        TestContext.Progress.WriteLine($"dotnet {arguments[0]} {(arguments.Length > 1 ? arguments[1] : "")}: exit {process.ExitCode} in {stopwatch.Elapsed.TotalSeconds:F1} s");
        return new CommandResult(string.Join(' ', arguments), process.ExitCode, output.Result, error.Result);
    }

    private static string MachinePackagesFolder() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    private static string FindRepositoryRoot()
    {
        for (DirectoryInfo? folder = new(TestContext.CurrentContext.TestDirectory); folder != null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "GanTrainers.sln")))
                return folder.FullName;
        }
        throw new DirectoryNotFoundException($"No GanTrainers.sln above {TestContext.CurrentContext.TestDirectory}.");
    }
}
