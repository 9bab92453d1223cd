using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.ML.Gan.Persistence;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Gan.Training.Checkpoints;

/// <summary>
/// A folder of checkpoints named <c>checkpoint-STEP.gancheckpoint</c>, all of one run: writes each one atomically (a
/// temporary file, flushed to disk, then renamed over the final name), keeps the run's newest K, and finds the newest
/// readable one. It refuses to mix runs (<see cref="RequireNoCheckpoints"/>, <see cref="RequireOnlyCheckpointsOf"/>), and
/// <see cref="CheckpointDirectoryLock"/> keeps two processes from writing into it at once.
/// </summary>
internal sealed class CheckpointStore
{
    public const string Extension = ".gancheckpoint";
    private const string Prefix = "checkpoint-";

    private readonly string _directory;
    private readonly int _keep;
    private readonly Func<string, Stream> _openFile;

    public CheckpointStore(string directory, int keep, Func<string, Stream> openFile)
    {
        _directory = directory;
        _keep = keep;
        _openFile = openFile;
        Directory.CreateDirectory(directory);
    }

    /// <summary>The file written last by this store, or the one resumed from; null before either.</summary>
    public string? Latest { get; set; }

    /// <summary>
    /// Writes <paramref name="checkpoint"/>, then deletes its run's checkpoints beyond the newest K, never the one just
    /// written: that one and the newest K − 1 others of the run stay. Other files are never deleted.
    /// </summary>
    /// <exception cref="IOException">The file could not be written; the previous checkpoints are untouched.</exception>
    public string Save(TrainingCheckpoint checkpoint)
    {
        var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            checkpoint.Write(writer);
        }
        string path = Path.Combine(_directory, string.Create(CultureInfo.InvariantCulture, $"{Prefix}{checkpoint.Step:D8}{Extension}"));
        try
        {
            AtomicFile.Write(path, stream => CheckpointFile.Write(stream, buffer.ToArray()), _openFile);
        }
        catch (IOException e)
        {
            string previous = Latest == null ? "No earlier checkpoint exists." : $"The previous checkpoint '{Latest}' is intact; resume from it.";
            throw new IOException($"Could not write the checkpoint of generator update {checkpoint.Step} to '{path}': {(e.InnerException ?? e).Message} {previous}", e);
        }
        Latest = path;
        string written = Path.GetFullPath(path);
        foreach (string old in Files(_directory).Where(file => file != written && PeekIdentity(file)?.IsOf(checkpoint.Identity) == true).Skip(_keep - 1))
        {
            TryDelete(old);
        }
        return path;
    }

    /// <summary>
    /// Refuses a run that resumes nothing when <paramref name="directory"/> already holds checkpoints: they belong to
    /// another run (perhaps one with the same options), which a new run's checkpoints would mix with and prune.
    /// </summary>
    /// <exception cref="ArgumentException">The folder holds checkpoints; the message says up to which update and what to do.</exception>
    public static void RequireNoCheckpoints(string directory)
    {
        if (Directory.Exists(directory) && Files(directory).FirstOrDefault() is { } newest)
        {
            throw new ArgumentException(
                $"CheckpointDirectory '{directory}' already holds checkpoints of another run, up to generator update {StepOf(newest)} ('{Path.GetFileName(newest)}'). " +
                "To continue that run, set ResumeFrom to the folder (gan train --resume) with that run's options; to start a new run, choose an empty folder or delete those checkpoints.",
                nameof(GanTrainer.Options.CheckpointDirectory));
        }
    }

    /// <summary>
    /// Refuses to write the checkpoints of <paramref name="run"/> into this store's folder when it holds checkpoints of
    /// another run. <paramref name="resumedFrom"/> is the checkpoint the run continues, null when it starts from scratch
    /// (then the folder must hold no checkpoint at all). A file too damaged to tell its run is left alone.
    /// </summary>
    /// <param name="run">The identity of the run that will write here.</param>
    /// <param name="resumedFrom">The checkpoint file the run continues; null when it starts from scratch.</param>
    /// <param name="resumeOption">The <see cref="GanTrainer.Options.ResumeFrom"/> given, for the message.</param>
    /// <exception cref="ArgumentException">The folder holds another run's checkpoints.</exception>
    public void RequireOnlyCheckpointsOf(RunIdentity run, string? resumedFrom, string resumeOption)
    {
        if (resumedFrom == null)
        {
            if (Files(_directory).FirstOrDefault() is { } newest)
            {
                throw new ArgumentException(
                    $"CheckpointDirectory '{_directory}' holds checkpoints of another run, up to generator update {StepOf(newest)} ('{Path.GetFileName(newest)}'), " +
                    $"and ResumeFrom '{resumeOption}' holds none to continue. To continue that run, set ResumeFrom to '{_directory}'; to start a new run, choose an empty folder or delete those checkpoints.",
                    nameof(GanTrainer.Options.CheckpointDirectory));
            }
            return;
        }
        // A file whose first fields name another run is checked whole: damage there must not pass for another run.
        string? foreign = Files(_directory).FirstOrDefault(file => PeekIdentity(file)?.IsOf(run) == false && IsReadable(file));
        if (foreign != null)
        {
            throw new ArgumentException(
                $"CheckpointDirectory '{_directory}' holds checkpoints of another run, up to generator update {StepOf(foreign)} ('{Path.GetFileName(foreign)}'), " +
                $"not of the run resumed from '{resumedFrom}'; their checkpoints would mix. Choose an empty CheckpointDirectory for this run, or delete the other run's checkpoints.",
                nameof(GanTrainer.Options.CheckpointDirectory));
        }
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

    // The run a checkpoint belongs to, from the first fields of its payload; null when the file is too damaged to tell.
    private static RunIdentity? PeekIdentity(string path)
    {
        try
        {
            using FileStream stream = CheckpointFile.OpenPayload(path);
            using var reader = new BinaryReader(stream);
            reader.ReadInt64();
            return TrainingCheckpoint.ReadIdentity(reader, path);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    private static long StepOf(string path)
    {
        string name = Path.GetFileName(path);
        return long.TryParse(name.AsSpan(Prefix.Length, name.Length - Prefix.Length - Extension.Length), NumberStyles.None, CultureInfo.InvariantCulture, out long step) ? step : -1;
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
