using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.ML.Gan.Tests.TestSupport;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Packaging;

/// <summary>
/// Microsoft.ML.Gan packed once per test run into a local folder feed, with an isolated nuget.config for the apps built
/// against it (<see cref="PackageConsumerTests"/>, <see cref="SampleProgramsTests"/>), and the means to run <c>dotnet</c>
/// on them.
/// </summary>
/// <remarks>
/// Isolation: the package gets a unique version (0.1.0-consumertest-…), and the apps, all in folders under
/// <see cref="Root"/>, restore with its nuget.config, whose globalPackagesFolder is private to this run, with the
/// machine's packages folder as a fallback folder (TorchSharp-cpu, ML.NET: read in place, never copied) and the machine's
/// sources plus the local feed. So only Microsoft.ML.Gan and packages the machine lacks land in the private folder, and a
/// stale Microsoft.ML.Gan can never be picked up. <see cref="PackedFeedCleanup"/> deletes the folder after the run;
/// builds run without build servers, so no process outlives a test.
/// </remarks>
internal sealed class PackedFeed
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(4);
    private static readonly object Gate = new();
    private static PackedFeed? _shared;

    private PackedFeed(string repository, string root, string privatePackages, string version)
    {
        Repository = repository;
        Root = root;
        PrivatePackages = privatePackages;
        Version = version;
    }

    /// <summary>The repository this test run builds (the folder holding GanTrainers.sln).</summary>
    public string Repository { get; }

    /// <summary>The temporary folder holding the feed, the nuget.config and every app built against the package.</summary>
    public string Root { get; }

    /// <summary>The private NuGet packages folder the apps restore into.</summary>
    public string PrivatePackages { get; }

    /// <summary>The packed Microsoft.ML.Gan version.</summary>
    public string Version { get; }

    /// <summary>The feed, packing the library on first use.</summary>
    public static PackedFeed Shared
    {
        get
        {
            lock (Gate)
            {
                return _shared ??= Pack();
            }
        }
    }

    /// <summary>Deletes the feed's folder if this run packed one.</summary>
    public static void DeleteIfPacked()
    {
        lock (Gate)
        {
            if (_shared != null && Directory.Exists(_shared.Root))
            {
                Directory.Delete(_shared.Root, recursive: true);
            }
            _shared = null;
        }
    }

    private static PackedFeed Pack()
    {
        string repository = RepositoryRoot.Find();
        string root = Path.Combine(Path.GetTempPath(), "gan-package-" + Guid.NewGuid().ToString("N")[..12]);
        string feed = Path.Combine(root, "feed");
        string privatePackages = Path.Combine(root, "packages");
        Directory.CreateDirectory(feed);
        Directory.CreateDirectory(privatePackages);

        string suffix = "consumertest-" + Guid.NewGuid().ToString("N")[..12];
        var packing = new PackedFeed(repository, root, privatePackages, "0.1.0-" + suffix);
        // The library's own build and restore stay outside the repository's bin/ and obj/ (artifacts path).
        packing.Run(repository, useMachinePackages: true, "pack", Path.Combine(repository, "Microsoft.ML.Gan", "Microsoft.ML.Gan.csproj"),
            "-c", "Release", "-o", feed, "--version-suffix", suffix, "--artifacts-path", Path.Combine(root, "artifacts"),
            "--disable-build-servers", "-nologo").AssertSucceeded("dotnet pack");
        string package = Directory.GetFiles(feed, "Microsoft.ML.Gan.*.nupkg").Single();
        Assert.That(Path.GetFileNameWithoutExtension(package)["Microsoft.ML.Gan.".Length..], Is.EqualTo(packing.Version));

        File.WriteAllText(Path.Combine(root, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{privatePackages}" />
              </config>
              <packageSources>
                <add key="microsoft-ml-gan-local" value="{feed}" />
              </packageSources>
              <fallbackPackageFolders>
                <clear />
                <add key="machine" value="{MachinePackagesFolder()}" />
              </fallbackPackageFolders>
            </configuration>
            """);
        return packing;
    }

    /// <summary>Fails unless the build restored Microsoft.ML.Gan from the local feed into the private packages folder.</summary>
    public void AssertRestoredFromTheFeed() =>
        Assert.That(Directory.Exists(Path.Combine(PrivatePackages, "microsoft.ml.gan", Version)), Is.True,
            "Microsoft.ML.Gan should be restored from the local feed into the private packages folder.");

    /// <summary>Runs the dotnet host. Without <paramref name="useMachinePackages"/>, NUGET_PACKAGES is the private folder.</summary>
    public CommandResult Run(string workingDirectory, bool useMachinePackages, params string[] arguments)
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
        // Figures the apps print are read back with the invariant culture.
        start.Environment["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1";
        // The apps' restore and TorchSharp's own fallback probing both see only the private folder.
        if (useMachinePackages)
            start.Environment.Remove("NUGET_PACKAGES");
        else
            start.Environment["NUGET_PACKAGES"] = PrivatePackages;

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
        TestContext.Progress.WriteLine($"dotnet {string.Join(' ', arguments.Take(2).Select(Path.GetFileName))}: exit {process.ExitCode} in {stopwatch.Elapsed.TotalSeconds:F1} s");
        return new CommandResult(string.Join(' ', arguments), process.ExitCode, output.Result, error.Result);
    }

    private static string MachinePackagesFolder() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
}
