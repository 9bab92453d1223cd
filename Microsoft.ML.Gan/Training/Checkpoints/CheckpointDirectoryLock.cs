using System;
using System.Globalization;
using System.IO;

namespace Microsoft.ML.Gan.Training.Checkpoints;

/// <summary>
/// Holds a checkpoint folder for one training run, so that two processes (or two Fits in one process) never write
/// checkpoints into it at once. The lock is the operating system's (a <see cref="FileStream"/> on <c>.lock</c> opened
/// with <see cref="FileShare.None"/>: on Linux and macOS an flock, on Windows a sharing lock), so the kernel releases it
/// when the holding process dies, even by SIGKILL: a crashed run never leaves the folder stuck.
/// </summary>
/// <remarks>
/// The lock file is never deleted: removing it while another process opens it would let two processes each lock a
/// different file of the same name. The holder's process id goes to a separate file, <c>.lock-holder</c>, because the
/// locked file cannot be read by anyone else; that file only serves error messages.
/// </remarks>
internal sealed class CheckpointDirectoryLock : IDisposable
{
    private const string LockName = ".lock";
    private const string HolderName = ".lock-holder";
    private readonly FileStream _lock;

    private CheckpointDirectoryLock(FileStream @lock) => _lock = @lock;

    /// <summary>Takes the lock of <paramref name="directory"/>, creating the folder if needed.</summary>
    /// <exception cref="InvalidOperationException">Another process, or another Fit in this one, holds the folder.</exception>
    public static CheckpointDirectoryLock Acquire(string directory)
    {
        Directory.CreateDirectory(directory);
        FileStream stream;
        try
        {
            stream = new FileStream(Path.Combine(directory, LockName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new InvalidOperationException(
                $"CheckpointDirectory '{directory}' is in use by another training run{Holder(directory)}: two runs cannot write checkpoints into one folder at once. " +
                "Wait for that run to end (or stop it), or choose another folder.", e);
        }
        try
        {
            File.WriteAllText(Path.Combine(directory, HolderName), string.Format(CultureInfo.InvariantCulture,
                "process {0} on {1}, since {2:u}", Environment.ProcessId, Environment.MachineName, DateTime.UtcNow));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Only error messages read it; the lock itself is held.
        }
        return new CheckpointDirectoryLock(stream);
    }

    public void Dispose() => _lock.Dispose();

    private static string Holder(string directory)
    {
        try
        {
            return $" ({File.ReadAllText(Path.Combine(directory, HolderName)).Trim()})";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }
}
