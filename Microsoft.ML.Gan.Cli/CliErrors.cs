using System;
using System.IO;

namespace Microsoft.ML.Gan.Cli;

/// <summary>Turns an exception into the tool's exit code and the one line it prints on stderr (never a stack trace).</summary>
internal static class CliErrors
{
    /// <summary>
    /// 2 for what the user can fix on the command line: an invalid option, a missing path, a file that is not what the
    /// option asks for (an unreadable image, a zip that is not a GAN model). 1 for a run that failed: divergence,
    /// cancellation, a missing native backend, anything unexpected.
    /// </summary>
    public static (int ExitCode, string Line) Describe(Exception e) => e switch
    {
        ArgumentException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException => (ExitCodes.BadArguments, OneLine(e)),
        OperationCanceledException or GanTrainingDivergedException or InvalidOperationException => (ExitCodes.Failure, OneLine(e)),
        _ => (ExitCodes.Failure, $"{e.GetType().Name}: {OneLine(e)}"),
    };

    /// <summary>
    /// The message on one line, without what .NET appends to argument exceptions (" (Parameter 'x')" and
    /// "Actual value was v."), since the messages of this library already name the option and the value.
    /// </summary>
    public static string OneLine(Exception e)
    {
        string message = e.Message;
        if (e is ArgumentOutOfRangeException { ActualValue: not null })
        {
            int lastLine = message.LastIndexOf('\n');
            message = lastLine >= 0 ? message[..lastLine] : message;
        }
        if (e is ArgumentException { ParamName: { } name })
        {
            message = message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal);
        }
        return OneLine(message);
    }

    /// <summary>A possibly multi-line message (System.CommandLine lists suggestions one per line) on one line.</summary>
    public static string OneLine(string message) =>
        string.Join(' ', message.Split(new[] { '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
