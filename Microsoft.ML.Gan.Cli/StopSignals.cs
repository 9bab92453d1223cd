using System;
using System.Runtime.InteropServices;
using System.Threading;

namespace Microsoft.ML.Gan.Cli;

/// <summary>
/// Turns the first Ctrl+C (SIGINT) or SIGTERM into a request to stop after the current step, instead of ending the
/// process: Kubernetes, systemd and docker send SIGTERM before they kill, and a stop that finishes the step can write a
/// checkpoint of it. A second signal ends the process at once, as it would without this handler.
/// </summary>
internal sealed class StopSignals : IDisposable
{
    private readonly Action _stop;
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;
    private readonly string _whenStopped;
    private int _exitCode;

    /// <param name="stop">Asks the running work to stop (for training, <c>MLContext.CancelExecution</c>).</param>
    /// <param name="whenStopped">When the work stops, as the message on the first signal says it.</param>
    public StopSignals(Action stop, string whenStopped = "after the current step")
    {
        _stop = stop;
        _whenStopped = whenStopped;
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Handle(context, "Ctrl+C", ExitCodes.Interrupted));
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Handle(context, "SIGTERM", ExitCodes.Terminated));
    }

    /// <summary>The exit code the signal received asks for (130 for SIGINT, 143 for SIGTERM), or null when none came.</summary>
    public int? ExitCode => Volatile.Read(ref _exitCode) is var code && code != 0 ? code : null;

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
    }

    private void Handle(PosixSignalContext context, string name, int exitCode)
    {
        if (Interlocked.CompareExchange(ref _exitCode, exitCode, 0) != 0)
        {
            return;
        }
        context.Cancel = true;
        Console.Error.WriteLine($"gan: {name}: stopping {_whenStopped} (send it again to stop at once)...");
        _stop();
    }
}
