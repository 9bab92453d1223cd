using System;
using System.IO;
using System.Runtime.InteropServices;
using Microsoft.ML.Gan.Torch;
using Microsoft.ML.Gan.Training;

namespace Microsoft.ML.Gan.Cli;

/// <summary>Turns an exception into the tool's exit code and the one line it prints on stderr (never a stack trace).</summary>
internal static class CliErrors
{
    /// <summary>
    /// 2 for what the user can fix on the command line: an invalid option, a missing path, a file that is not what the
    /// option asks for (an unreadable image, a zip that is not a GAN model). 1 for a run that failed: divergence,
    /// cancellation, a missing native backend, memory libtorch could not allocate (one line, without its C++ frames),
    /// anything unexpected. An argument error about a trainer option raised during training (BatchSize needing more
    /// memory than the machine has) is prefixed with the option's flag.
    /// </summary>
    public static (int ExitCode, string Line) Describe(Exception e) => e switch
    {
        ArgumentException { ParamName: { } field } when GanTrainerFlags.Create().FlagFor(field) is { } flag => (ExitCodes.BadArguments, $"{flag}: {OneLine(e)}"),
        ArgumentException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException => (ExitCodes.BadArguments, OneLine(e)),
        OperationCanceledException or GanTrainingDivergedException or InvalidOperationException or InsufficientMemoryException => (ExitCodes.Failure, OneLine(e)),
        ExternalException when LibTorchAllocation.IsAllocationFailure(e) => (ExitCodes.Failure, LibTorchAllocation.Describe(e)),
        // libtorch's messages are the C++ error on the first line, then its stack frames.
        ExternalException => (ExitCodes.Failure, $"{e.GetType().Name}: {e.Message.Split('\n')[0].Trim()}"),
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
