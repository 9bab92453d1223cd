using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;

namespace Microsoft.ML.Gan.Persistence;

/// <summary>
/// Writes many small files atomically (as <see cref="AtomicFile"/> does one) at the disk's pace: the temporary files
/// are written in parallel, made durable with one file-system flush for the whole batch instead of one fsync per file
/// (measured on this project's VM: 250 fsynced files/s against about 4,000 with one flush per 334 files), and only
/// then renamed to their final names. A kill leaves hidden temporary files at worst, never a partial file under a
/// final name; see <see cref="AtomicFile.DeleteAbandonedTemporaryFiles"/>.
/// </summary>
internal static class AtomicFileBatch
{
    /// <summary>Writes <paramref name="contents"/>[i] to <paramref name="paths"/>[i] for every i.</summary>
    /// <param name="paths">The files to write, all in existing folders.</param>
    /// <param name="contents">Their bytes.</param>
    /// <exception cref="IOException">
    /// A file could not be written (the first such file is named). Every other file that was written whole is kept
    /// under its final name, so a full disk keeps as many complete files as fitted, and no temporary file is left.
    /// </exception>
    public static void WriteAll(IReadOnlyList<string> paths, IReadOnlyList<byte[]> contents)
    {
        if (paths.Count != contents.Count)
        {
            throw new ArgumentException($"{paths.Count} paths were given for {contents.Count} contents.", nameof(contents));
        }
        bool flushEachFile = !FileSystemFlush.IsAvailable;
        var temporaries = new string?[paths.Count];
        var errors = new Exception?[paths.Count];
        Parallel.For(0, paths.Count, i =>
        {
            try
            {
                temporaries[i] = WriteTemporary(paths[i], contents[i], flushEachFile);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                errors[i] = e;
            }
        });
        if (!flushEachFile && Array.Find(temporaries, path => path != null) is { } anyTemporary && !FileSystemFlush.Flush(anyTemporary))
        {
            FlushEach(temporaries, errors);
        }
        for (int i = 0; i < paths.Count; i++)
        {
            if (temporaries[i] is not { } temporary)
            {
                continue;
            }
            try
            {
                File.Move(temporary, paths[i], overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                errors[i] ??= e;
                AtomicFile.TryDelete(temporary);
            }
        }
        int failed = Array.FindIndex(errors, error => error != null);
        if (failed >= 0)
        {
            string previous = File.Exists(paths[failed]) ? " The previous file there is unchanged." : string.Empty;
            throw new IOException($"Could not write '{paths[failed]}': {errors[failed]!.Message}{previous}", errors[failed]);
        }
    }

    private static string WriteTemporary(string path, byte[] content, bool flushToDisk)
    {
        string temporary = AtomicFile.TemporaryPathFor(Path.GetFullPath(path));
        try
        {
            using var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1);
            stream.Write(content);
            stream.Flush(flushToDisk);
            return temporary;
        }
        catch
        {
            AtomicFile.TryDelete(temporary);
            throw;
        }
    }

    // The fallback when the file system cannot be flushed at once: fsync every file, several at a time.
    private static void FlushEach(string?[] temporaries, Exception?[] errors) => Parallel.For(0, temporaries.Length, i =>
    {
        if (temporaries[i] is not { } temporary)
        {
            return;
        }
        try
        {
            using var stream = new FileStream(temporary, FileMode.Open, FileAccess.Write, FileShare.None, bufferSize: 1);
            stream.Flush(flushToDisk: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors[i] = e;
            AtomicFile.TryDelete(temporary);
            temporaries[i] = null;
        }
    });
}
