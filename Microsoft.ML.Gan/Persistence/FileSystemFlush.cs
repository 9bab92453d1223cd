using System;
using System.IO;
using System.Runtime.InteropServices;

namespace Microsoft.ML.Gan.Persistence;

/// <summary>
/// Linux's <c>syncfs</c>: writes every dirty page of one file system to disk in a single call, which makes a batch of
/// freshly written files durable at once. Other systems have no such call; callers then fsync file by file.
/// </summary>
internal static class FileSystemFlush
{
    /// <summary>Whether <see cref="Flush"/> can work here (Linux).</summary>
    public static bool IsAvailable => OperatingSystem.IsLinux();

    /// <summary>Flushes the file system that holds <paramref name="anyFileOnIt"/>; false when that failed, so the caller fsyncs each file instead.</summary>
    public static bool Flush(string anyFileOnIt)
    {
        if (!IsAvailable)
        {
            return false;
        }
        try
        {
            using var file = new FileStream(anyFileOnIt, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1);
            return syncfs((int)file.SafeFileHandle.DangerousGetHandle()) == 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int syncfs(int fileDescriptor);
}
