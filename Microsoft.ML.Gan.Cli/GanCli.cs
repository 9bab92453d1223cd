using System;
using System.CommandLine;
using System.IO;

namespace Microsoft.ML.Gan.Cli;

/// <summary>The gan tool: parses arguments, runs a command, and maps failures to exit codes with one line on stderr.</summary>
internal static class GanCli
{
    public static int Run(string[] args)
    {
        var root = new RootCommand("Train GANs, generate images and evaluate generators with Microsoft.ML.Gan.")
        {
            TrainCommand.Create(),
            GenerateCommand.Create(),
            EvaluateCommand.Create(),
            ClassifierCommand.Create(),
        };

        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (System.CommandLine.Parsing.ParseError error in parsed.Errors)
            {
                Console.Error.WriteLine($"gan: {error.Message}");
            }
            Console.Error.WriteLine("Run 'gan --help' for usage.");
            return ExitCodes.BadArguments;
        }

        try
        {
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is ArgumentException or FileNotFoundException or DirectoryNotFoundException)
        {
            Console.Error.WriteLine($"gan: {e.Message}");
            return ExitCodes.BadArguments;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"gan: {e.GetType().Name}: {e.Message}");
            return ExitCodes.Failure;
        }
    }
}
