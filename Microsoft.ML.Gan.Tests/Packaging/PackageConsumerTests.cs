using System;
using System.Collections.Generic;
using System.IO;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Packaging;

/// <summary>
/// Builds a user's console app OUTSIDE the solution against the packed library (<see cref="PackedFeed"/>): with
/// TorchSharp-cpu it trains, saves, and a second process loads the model and reproduces the generated pixels (on Debian
/// 12 this also proves the package's buildTransitive libstdc++ step), on each supported Microsoft.ML version and across
/// them (saved on one, loaded on the other); without a backend it gets the library's missing-backend message.
/// </summary>
[TestFixture]
[NonParallelizable]
public class PackageConsumerTests
{
    private const string ConsumerProject = "Consumer";

    private PackedFeed _feed = null!;

    [OneTimeSetUp]
    public void PackTheLibrary() => _feed = PackedFeed.Shared;

    /// <summary>The Microsoft.ML versions the package supports (its dependency range is [5.0.1, 7.0.0)).</summary>
    private static readonly string[] MlNetVersions = { "5.0.1", "6.0.0" };

    [TestCaseSource(nameof(MlNetVersions))]
    public void ConsumerAppWithTorchSharpCpuTrainsSavesAndLoadsInANewProcess(string mlNetVersion)
    {
        string app = Consumer(mlNetVersion);
        string work = Directory.CreateDirectory(Path.Combine(_feed.Root, "run-" + mlNetVersion)).FullName;

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
        string work = Directory.CreateDirectory(Path.Combine(_feed.Root, $"run-{savedWith}-to-{loadedWith}")).FullName;
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
    // Its Program.cs is Packaging/ConsumerApp/Program.cs.
    private string CreateConsumer(string name, bool withBackend, string? mlNetVersion = null)
    {
        string app = Directory.CreateDirectory(Path.Combine(_feed.Root, name)).FullName;
        File.WriteAllText(Path.Combine(app, "Program.cs"),
            File.ReadAllText(Path.Combine(_feed.Repository, "Microsoft.ML.Gan.Tests", "Packaging", "ConsumerApp", "Program.cs")));
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
                <PackageReference Include="Microsoft.ML.Gan" Version="{_feed.Version}" />
                {backend}
                {mlNet}
              </ItemGroup>
            </Project>
            """);
        _feed.Run(app, useMachinePackages: false, "build", "-c", "Release", "--disable-build-servers", "-nologo").AssertSucceeded($"dotnet build ({name})");
        _feed.AssertRestoredFromTheFeed();
        return app;
    }

    private CommandResult RunApp(string app, string command, string work) =>
        _feed.Run(app, useMachinePackages: false, Path.Combine(app, "bin", "Release", "net10.0", ConsumerProject + ".dll"), command, work);
}
