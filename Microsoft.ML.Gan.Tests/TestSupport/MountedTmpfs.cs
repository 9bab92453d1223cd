using System;
using System.Diagnostics;
using System.IO;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.TestSupport;

/// <summary>
/// A small tmpfs mounted on a new folder: a real full disk or read-only file system for fault tests. Mounting needs root
/// (CI runs as root); elsewhere the test is reported as ignored, with the reason.
/// </summary>
internal sealed class MountedTmpfs : IDisposable
{
    private MountedTmpfs(string path) => Path = path;

    /// <summary>The mount point.</summary>
    public string Path { get; }

    /// <summary>Mounts a tmpfs with mount options <paramref name="options"/> (such as <c>size=256k</c> or <c>ro,size=64k</c>) on a new folder.</summary>
    public static MountedTmpfs Mount(string options)
    {
        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "gan-tmpfs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        (int exitCode, string error) = Run("mount", "-t", "tmpfs", "-o", options, "tmpfs", path);
        if (exitCode != 0)
        {
            Directory.Delete(path);
            Assert.Ignore($"This test mounts a tmpfs, which needs root: {error.Trim()}");
        }
        return new MountedTmpfs(path);
    }

    /// <summary>Fills the file system with one file until only about <paramref name="bytesLeft"/> bytes are free.</summary>
    public void FillLeaving(long bytesLeft)
    {
        long free = new DriveInfo(Path).AvailableFreeSpace;
        using var filler = new FileStream(System.IO.Path.Combine(Path, "filler"), FileMode.CreateNew);
        filler.Write(new byte[Math.Max(0, free - bytesLeft)]);
    }

    public void Dispose()
    {
        Run("umount", "-l", Path);
        Directory.Delete(Path, recursive: true);
    }

    private static (int ExitCode, string Error) Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        try
        {
            using Process process = Process.Start(start)!;
            string error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, error);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
