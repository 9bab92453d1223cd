using System;
using System.IO;
using Microsoft.ML.Gan.Cli;

namespace Microsoft.ML.Gan.Tests.Cli;

/// <summary>Runs the gan tool in-process (<see cref="GanCli.Run"/>) with stdout and stderr captured.</summary>
internal static class CliRunner
{
    public static CliResult Run(params string[] args) => Capture(() => GanCli.Run(args));

    /// <summary>Runs the tool as on a terminal <paramref name="helpWidth"/> columns wide.</summary>
    public static CliResult RunWithHelpWidth(int helpWidth, params string[] args) => Capture(() => GanCli.Run(args, helpWidth));

    private static CliResult Capture(Func<int> run)
    {
        TextWriter output = Console.Out, error = Console.Error;
        var capturedOutput = new StringWriter();
        var capturedError = new StringWriter();
        Console.SetOut(capturedOutput);
        Console.SetError(capturedError);
        try
        {
            return new CliResult(run(), capturedOutput.ToString(), capturedError.ToString());
        }
        finally
        {
            Console.SetOut(output);
            Console.SetError(error);
        }
    }
}
