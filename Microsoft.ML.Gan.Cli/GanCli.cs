using System;
using System.CommandLine;
using System.CommandLine.Help;
using System.Linq;

namespace Microsoft.ML.Gan.Cli;

/// <summary>The gan tool: parses arguments, runs a command, and maps failures to exit codes with one line on stderr.</summary>
internal static class GanCli
{
    public static int Run(string[] args) => Run(args, HelpWidth.ForConsole());

    /// <summary>Runs the tool with help text wrapped to <paramref name="helpWidth"/> columns.</summary>
    public static int Run(string[] args, int helpWidth)
    {
        var root = new RootCommand("Train GANs, generate images and evaluate generators with Microsoft.ML.Gan.")
        {
            TrainCommand.Create(),
            GenerateCommand.Create(),
            EncodeCommand.Create(),
            ReconstructCommand.Create(),
            InterpolateCommand.Create(),
            EvaluateCommand.Create(),
            ClassifierCommand.Create(),
        };

        foreach (HelpOption help in root.Options.OfType<HelpOption>())
        {
            ((HelpAction)help.Action!).MaxWidth = helpWidth;
        }

        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            string command = parsed.CommandResult.Command is RootCommand ? "gan" : $"gan {parsed.CommandResult.Command.Name}";
            Console.Error.WriteLine($"gan: {CliErrors.OneLine(string.Join(" ", parsed.Errors.Select(error => error.Message)))} Run '{command} --help' for usage.");
            return ExitCodes.BadArguments;
        }

        try
        {
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e)
        {
            (int exitCode, string line) = CliErrors.Describe(e);
            Console.Error.WriteLine($"gan: {line}");
            return exitCode;
        }
    }
}
