using System;
using System.Diagnostics;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading.Tasks;

namespace Microsoft.ML.Gan.Tests.TestSupport;

/// <summary>
/// The gan tool in a child process (the test assembly run as <c>gan ARGS...</c>), for behaviour that is about
/// processes: signals, exit codes, what a stopped process leaves on disk.
/// </summary>
internal sealed class GanProcess : IDisposable
{
    public const string Command = "gan";

    /// <summary>POSIX signal numbers.</summary>
    public const int SigInt = 2, SigKill = 9, SigTerm = 15;

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Task<string> _error;

    private GanProcess(Process process)
    {
        _process = process;
        _error = process.StandardError.ReadToEndAsync();
    }

    /// <summary>Starts <c>gan ARGS</c> in <paramref name="workingDirectory"/>.</summary>
    public static GanProcess Start(string workingDirectory, params string[] args)
    {
        StopIgnoringInterrupts();
        return new GanProcess(TestAssemblyProcess.Start(workingDirectory, args.Prepend(Command).ToArray()));
    }

    /// <summary>Reads standard output until a line satisfies <paramref name="match"/>, and returns it.</summary>
    /// <exception cref="InvalidOperationException">The child closed its output first.</exception>
    public string WaitForLine(Func<string, bool> match)
    {
        while (_process.StandardOutput.ReadLine() is { } line)
        {
            _output.AppendLine(line);
            if (match(line))
            {
                return line;
            }
        }
        _process.WaitForExit(30_000);
        throw new InvalidOperationException($"gan exited ({_process.ExitCode}) before printing the line waited for.\n{_output}\n{_error.Result}");
    }

    /// <summary>Sends <paramref name="signal"/> to the child.</summary>
    public void Signal(int signal)
    {
        if (kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    /// <summary>Waits (at most two minutes) for the child to exit; returns its exit code and everything it printed.</summary>
    public (int ExitCode, string Output, string Error) WaitForExit()
    {
        // Read asynchronously: a child that never exits must not hold the test past the limit.
        Task<string> rest = _process.StandardOutput.ReadToEndAsync();
        if (!_process.WaitForExit(120_000))
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"gan did not exit within two minutes.\n{_output}");
        }
        _output.Append(rest.Result);
        return (_process.ExitCode, _output.ToString(), _error.Result);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(30_000);
        }
        _process.Dispose();
    }

    // A test run started in the background by a non-interactive shell (`cmd &`) inherits SIGINT ignored, and ignored
    // signals stay ignored across exec, so the child would never see the Ctrl+C a test sends it (POSIX keeps Ctrl+C
    // away from background jobs this way, and .NET honours it). The children must start with the default disposition;
    // a handler the runtime installed is put back untouched.
    private static void StopIgnoringInterrupts()
    {
        IntPtr previous = signal(SigInt, SignalDefault);
        if (previous != SignalIgnore)
        {
            signal(SigInt, previous);
        }
    }

    private static readonly IntPtr SignalDefault = IntPtr.Zero, SignalIgnore = new(1);

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    [DllImport("libc")]
    private static extern IntPtr signal(int signal, IntPtr handler);
}
