using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Packaging;

/// <summary>What a child <c>dotnet</c> process did: its command line, exit code and output.</summary>
internal sealed record CommandResult(string CommandLine, int ExitCode, string Output, string Error)
{
    /// <summary>The command, exit code and the tail of both streams, for assertion messages.</summary>
    public string Describe() =>
        $"dotnet {CommandLine}\nexit code {ExitCode}\n--- stdout (tail) ---\n{Tail(Output)}\n--- stderr (tail) ---\n{Tail(Error)}";

    /// <summary>Fails the test with <see cref="Describe"/> unless the exit code is 0.</summary>
    public void AssertSucceeded(string what) => Assert.That(ExitCode, Is.Zero, $"{what} failed.\n{Describe()}");

    private static string Tail(string text) => text.Length <= 4000 ? text : "…" + text[^4000..];
}
