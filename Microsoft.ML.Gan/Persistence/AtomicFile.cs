using System;
using System.IO;

namespace Microsoft.ML.Gan.Persistence;

/// <summary>
/// Writes the files a user keeps (models, images, tables) so that they are never half-written: the content goes to a
/// hidden temporary file in the same folder, is flushed to disk, and is then renamed over the final name. A crash, a
/// kill or a full disk during the write leaves the previous file, if any, as it was and nothing under the final name.
/// </summary>
internal static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> with <paramref name="write"/>, which receives the temporary file's stream.</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="write">Writes the content.</param>
    /// <param name="open">Opens the temporary file for writing; null for a new <see cref="FileStream"/>. Tests pass a stream that fails.</param>
    /// <exception cref="IOException">
    /// The file could not be written (the message names it and says the previous one is intact; the original error is the
    /// inner exception).
    /// </exception>
    public static void Write(string path, Action<Stream> write, Func<string, Stream>? open = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string target = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(folder);
        string temporary = TemporaryPathFor(target);
        try
        {
            using (Stream stream = open?.Invoke(temporary) ?? new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                if (stream is FileStream file)
                {
                    file.Flush(flushToDisk: true);
                }
                else
                {
                    stream.Flush();
                }
            }
            File.Move(temporary, target, overwrite: true);
        }
        catch (Exception e)
        {
            TryDelete(temporary);
            if (e is IOException or UnauthorizedAccessException)
            {
                string previous = File.Exists(target) ? " The previous file there is unchanged." : string.Empty;
                throw new IOException($"Could not write '{path}': {e.Message}{previous}", e);
            }
            throw;
        }
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> atomically.</summary>
    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, stream => stream.Write(bytes));

    /// <summary>Throws an <see cref="ArgumentException"/> naming <paramref name="optionName"/> unless <paramref name="directory"/> is, or can be made, a folder that files can be created in.</summary>
    public static void RequireWritableFolder(string directory, string optionName)
    {
        if (File.Exists(directory))
        {
            throw new ArgumentException($"{optionName} '{directory}' is a file; a folder was expected.", optionName);
        }
        try
        {
            Directory.CreateDirectory(directory);
            string probe = Path.Combine(directory, $".write-test-{Environment.ProcessId}.{Guid.NewGuid():N}");
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new ArgumentException($"{optionName} '{directory}' is not a writable folder: {e.Message}", optionName, e);
        }
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming <paramref name="optionName"/> unless a file can be written at <paramref name="path"/>.</summary>
    public static void RequireWritableFile(string path, string optionName)
    {
        if (Directory.Exists(path))
        {
            throw new ArgumentException($"{optionName} '{path}' is a folder; a file was expected.", optionName);
        }
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        try
        {
            RequireWritableFolder(folder, optionName);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{optionName} '{path}' cannot be written: {e.Message}", optionName, e);
        }
    }

    /// <summary>
    /// A new temporary file name beside <paramref name="target"/>: <c>.NAME.PID.GUID.tmp</c>, hidden and unique, so that two
    /// writers of one file do not share a temporary file, folder scans skip it, and the writing process can be told.
    /// </summary>
    public static string TemporaryPathFor(string target) =>
        Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");

    /// <summary>
    /// Deletes the temporary files that writes of files matching <paramref name="fileNamePattern"/> in
    /// <paramref name="folder"/> left when their process was killed: those whose process is no longer running.
    /// </summary>
    /// <param name="folder">The folder to clean.</param>
    /// <param name="fileNamePattern">The final names, with * and ? wildcards, such as <c>image_*.png</c>.</param>
    /// <returns>How many were deleted.</returns>
    public static int DeleteAbandonedTemporaryFiles(string folder, string fileNamePattern)
    {
        if (!Directory.Exists(folder))
        {
            return 0;
        }
        int deleted = 0;
        foreach (string temporary in Directory.EnumerateFiles(folder, $".{fileNamePattern}.*.tmp"))
        {
            string[] parts = Path.GetFileName(temporary).Split('.');
            if (parts.Length >= 4 && int.TryParse(parts[^3], out int writer) && !IsRunning(writer))
            {
                TryDelete(temporary);
                deleted++;
            }
        }
        return deleted;
    }

    private static bool IsRunning(int processId)
    {
        if (processId == Environment.ProcessId)
        {
            return true;
        }
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Deletes <paramref name="path"/> if it can; a leftover temporary file is hidden and harms nothing.</summary>
    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The temporary file is hidden and uniquely named; a leftover harms nothing.
        }
    }
}
