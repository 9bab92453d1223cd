using System;
using System.Diagnostics;
using System.IO;

namespace Microsoft.ML.Gan.Tests.TestSupport;

/// <summary>Starts the test assembly as a program (see <c>Program.Main</c>) with its standard streams redirected.</summary>
internal static class TestAssemblyProcess
{
    /// <summary>Starts <c>dotnet TESTS.dll ARGS...</c> in <paramref name="workingDirectory"/> (default: the assembly's folder).</summary>
    public static Process Start(string? workingDirectory, params string[] args)
    {
        string assembly = typeof(TestAssemblyProcess).Assembly.Location;
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(assembly)!,
        };
        start.ArgumentList.Add(assembly);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        return Process.Start(start) ?? throw new InvalidOperationException($"Could not start '{dotnet}'.");
    }
}
