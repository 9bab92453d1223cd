using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Persistence;

namespace Microsoft.ML.Gan.Cli;

/// <summary>
/// Which images a <c>gan generate</c> run writes, decided before the first one is: the output folder's manifest is
/// checked (another model's, seed's, truncation's or label's images are refused unless --overwrite), temporary files of
/// a killed run are deleted, images already there are skipped with --skip-existing, and the disk must have room for
/// the rest.
/// </summary>
internal sealed class GenerationPlan
{
    private readonly long _startIndex;
    private readonly BitArray _present;

    private GenerationPlan(long startIndex, BitArray present, long alreadyThere)
    {
        _startIndex = startIndex;
        _present = present;
        AlreadyThere = alreadyThere;
    }

    /// <summary>Images of the range that are there already and are kept (--skip-existing).</summary>
    public long AlreadyThere { get; }

    /// <summary>Images this run writes.</summary>
    public long ToWrite => _present.Length - AlreadyThere;

    /// <summary>Checks the folder and the disk, writes the manifest, and returns the plan.</summary>
    /// <param name="request">The run.</param>
    /// <param name="output">The files the run writes.</param>
    /// <param name="generate">Images (first, count) of the run's sequence, for the sample whose size is measured.</param>
    /// <exception cref="ArgumentException">The folder holds another run's images, or the disk is too small.</exception>
    public static GenerationPlan Prepare(GenerationRequest request, GenerationOutput output, Func<long, int, IDataView> generate)
    {
        string folder = request.OutputFolder;
        var manifest = GenerationManifest.For(request.ModelPath, output.Format, request.Seed, request.Truncation, request.Label);
        CheckFolder(request, output, manifest);
        AtomicFile.DeleteAbandonedTemporaryFiles(folder, output.FilePattern);
        var present = new BitArray(request.Count);
        long alreadyThere = 0;
        if (request.SkipExisting)
        {
            foreach (long index in output.Present(request.StartIndex, request.Count))
            {
                int offset = (int)(index - request.StartIndex);
                if (!present[offset])
                {
                    present[offset] = true;
                    alreadyThere++;
                }
            }
        }
        var plan = new GenerationPlan(request.StartIndex, present, alreadyThere);
        if (plan.ToWrite > 0)
        {
            plan.CheckFreeSpace(folder, output, generate);
        }
        manifest.Write(folder);
        return plan;
    }

    /// <summary>The runs of consecutive images to write: (first index, count).</summary>
    public IEnumerable<(long First, int Count)> MissingRanges()
    {
        int offset = 0;
        while (offset < _present.Length)
        {
            if (_present[offset])
            {
                offset++;
                continue;
            }
            int end = offset;
            while (end < _present.Length && !_present[end])
            {
                end++;
            }
            yield return (_startIndex + offset, end - offset);
            offset = end;
        }
    }

    private static void CheckFolder(GenerationRequest request, GenerationOutput output, GenerationManifest wanted)
    {
        string folder = request.OutputFolder;
        GenerationManifest? found = GenerationManifest.Read(folder, "--output");
        string? conflict = null;
        if (found != null && found.DifferencesFrom(wanted) is { Count: > 0 } differences)
        {
            conflict = $"--output '{folder}' holds images of {string.Join(", ", differences)}, says its {GenerationManifest.FileName}";
        }
        else if (found == null && output.Existing().Any())
        {
            conflict = $"--output '{folder}' holds {output.FilePattern} files but no {GenerationManifest.FileName} saying which model, seed and truncation made them";
        }
        if (conflict == null)
        {
            return;
        }
        if (!request.Overwrite)
        {
            throw new ArgumentException($"{conflict}. Write to another folder, or pass --overwrite to delete them and write this run's images.");
        }
        foreach (string file in output.Existing().ToList())
        {
            File.Delete(file);
        }
    }

    private void CheckFreeSpace(string folder, GenerationOutput output, Func<long, int, IDataView> generate)
    {
        int first = 0;
        while (_present[first])
        {
            first++;
        }
        MLImage sample = generate(_startIndex + first, 1).GetColumn<MLImage>(DefaultColumnNames.Image).First();
        long needed = output.BytesOnDisk(sample, ToWrite, out string how);
        sample.Dispose();
        long free = new DriveInfo(Path.GetFullPath(folder)).AvailableFreeSpace;
        if (needed > free)
        {
            throw new ArgumentException(
                $"--count: {ToWrite} images need about {GenerationOutput.Bytes(needed)} on disk ({how}), " +
                $"but the disk holding '{folder}' has {GenerationOutput.Bytes(free)} free. Lower --count, or write to a larger disk.");
        }
    }
}
