using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Gan.Training.Checkpoints;

/// <summary>
/// A folder of checkpoints named <c>checkpoint-STEP.gancheckpoint</c>: writes each one atomically (a temporary file,
/// flushed to disk, then renamed over the final name), keeps the newest K, and finds the newest readable one.
/// </summary>
internal sealed class CheckpointStore
{
    public const string Extension = ".gancheckpoint";
    private const string Prefix = "checkpoint-";
    private const string TemporarySuffix = ".tmp";

    private readonly string _directory;
    private readonly int _keep;
    private readonly Func<string, Stream> _openFile;
    private readonly Func<bool> _isCanceled;

    public CheckpointStore(string directory, int keep, Func<string, Stream> openFile, Func<bool> isCanceled)
    {
        _directory = directory;
        _keep = keep;
        _openFile = openFile;
        _isCanceled = isCanceled;
        Directory.CreateDirectory(directory);
    }

    /// <summary>The file written last by this store, or the one resumed from; null before either.</summary>
    public string? Latest { get; set; }

    /// <summary>Writes <paramref name="checkpoint"/> and deletes the checkpoints beyond the newest K.</summary>
    /// <exception cref="IOException">The file could not be written; the previous checkpoints are untouched.</exception>
    /// <exception cref="OperationCanceledException">Cancelled during the write; the previous checkpoints are untouched.</exception>
    /// <param name="checkpoint">The state to write.</param>
    /// <param name="evenIfCanceled">Finish the write although cancellation is requested (the checkpoint written on cancellation).</param>
    public string Save(TrainingCheckpoint checkpoint, bool evenIfCanceled = false)
    {
        var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            checkpoint.Write(writer);
        }
        string path = Path.Combine(_directory, string.Create(CultureInfo.InvariantCulture, $"{Prefix}{checkpoint.Step:D8}{Extension}"));
        string temporary = path + TemporarySuffix;
        try
        {
            using (Stream stream = _openFile(temporary))
            {
                CheckpointFile.Write(stream, buffer.ToArray(), evenIfCanceled ? () => false : _isCanceled);
                (stream as FileStream)?.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            TryDelete(temporary);
            if (e is OperationCanceledException)
            {
                throw;
            }
            string previous = Latest == null ? "No earlier checkpoint exists." : $"The previous checkpoint '{Latest}' is intact; resume from it.";
            throw new IOException($"Could not write the checkpoint of generator update {checkpoint.Step} to '{path}': {e.Message} {previous}", e);
        }
        Latest = path;
        foreach (string old in Files(_directory).Skip(_keep))
        {
            TryDelete(old);
        }
        return path;
    }

    /// <summary>The newest readable checkpoint in this store's folder; unreadable newer ones are reported on <paramref name="channel"/>.</summary>
    public (TrainingCheckpoint Checkpoint, string Path)? LoadNewest(IChannel channel) => LoadNewest(_directory, channel);

    /// <summary>
    /// The checkpoint <paramref name="resumeFrom"/> names: that file, or the newest readable one in that folder (null
    /// when the folder holds none).
    /// </summary>
    /// <exception cref="InvalidDataException">The file, or every checkpoint in the folder, is unreadable; the message names the newest good one, if any.</exception>
    public static (TrainingCheckpoint Checkpoint, string Path)? Load(string resumeFrom, IChannel channel)
    {
        if (Directory.Exists(resumeFrom))
        {
            return LoadNewest(resumeFrom, channel);
        }
        try
        {
            return (ReadFile(resumeFrom), resumeFrom);
        }
        catch (InvalidDataException e)
        {
            string folder = Path.GetDirectoryName(Path.GetFullPath(resumeFrom))!;
            string? good = Files(folder).Where(file => file != Path.GetFullPath(resumeFrom)).FirstOrDefault(IsReadable);
            throw new InvalidDataException(e.Message + (good == null ? "" : $" The newest readable checkpoint in that folder is '{good}': pass it, or the folder, as ResumeFrom."), e);
        }
    }

    /// <summary>The default file opener: a new file, replacing any stale one.</summary>
    public static Stream CreateFile(string path) => new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);

    private static (TrainingCheckpoint Checkpoint, string Path)? LoadNewest(string directory, IChannel channel)
    {
        var failures = new List<string>();
        foreach (string file in Files(directory))
        {
            try
            {
                TrainingCheckpoint checkpoint = ReadFile(file);
                foreach (string failure in failures)
                {
                    channel.Warning(MessageSensitivity.None, $"{failure} Using '{file}' instead.");
                }
                return (checkpoint, file);
            }
            catch (InvalidDataException e)
            {
                failures.Add(e.Message);
            }
        }
        if (failures.Count > 0)
        {
            throw new InvalidDataException($"No readable checkpoint in '{directory}': {string.Join(" ", failures)}");
        }
        return null;
    }

    private static TrainingCheckpoint ReadFile(string path)
    {
        byte[] payload = CheckpointFile.Read(path);
        try
        {
            using var reader = new BinaryReader(new MemoryStream(payload));
            return TrainingCheckpoint.Read(reader, path);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"Checkpoint '{path}' is damaged: {e.Message}", e);
        }
    }

    private static bool IsReadable(string path)
    {
        try
        {
            CheckpointFile.Read(path);
            return true;
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    // Newest first, by the step in the name; temporary files of interrupted writes are not checkpoints.
    private static IEnumerable<string> Files(string directory) =>
        Directory.EnumerateFiles(Path.GetFullPath(directory), Prefix + "*" + Extension)
            .Where(file => file.EndsWith(Extension, StringComparison.Ordinal))
            .OrderByDescending(file => Path.GetFileName(file), StringComparer.Ordinal);

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover temporary or old file is ignored by every reader.
        }
    }
}
