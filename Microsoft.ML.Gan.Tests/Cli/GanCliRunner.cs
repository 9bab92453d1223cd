using System;
using System.IO;
using Microsoft.ML.Gan.Cli;

namespace Microsoft.ML.Gan.Tests.Cli;

/// <summary>Runs the gan tool in-process with stdout and stderr captured.</summary>
internal static class GanCliRunner
{
    public static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        TextWriter output = Console.Out, error = Console.Error;
        var capturedOutput = new StringWriter();
        var capturedError = new StringWriter();
        Console.SetOut(capturedOutput);
        Console.SetError(capturedError);
        try
        {
            return (GanCli.Run(args), capturedOutput.ToString(), capturedError.ToString());
        }
        finally
        {
            Console.SetOut(output);
            Console.SetError(error);
        }
    }
}
