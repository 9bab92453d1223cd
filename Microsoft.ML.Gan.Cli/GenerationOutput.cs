using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Data;

namespace Microsoft.ML.Gan.Cli;

/// <summary>
/// The files one format of <c>gan generate</c> writes into the output folder: one PNG per image, or one binary IDataView
/// file (<c>.idv</c>) per shard.
/// </summary>
internal abstract class GenerationOutput
{
    /// <summary>Below this a file still takes a whole block on disk (4 KiB on ext4, xfs and tmpfs).</summary>
    public const long BlockBytes = 4096;

    protected GenerationOutput(string folder) => Folder = folder;

    /// <summary>The output folder.</summary>
    public string Folder { get; }

    /// <summary>The format's name in --format and in the manifest.</summary>
    public abstract string Format { get; }

    /// <summary>The files of this format in the folder, whichever run wrote them.</summary>
    public IEnumerable<string> Existing() => Directory.Exists(Folder)
        ? Directory.EnumerateFiles(Folder, FilePattern).Where(path => IsOurs(Path.GetFileName(path)))
        : Enumerable.Empty<string>();

    /// <summary>The wildcard pattern of the names written.</summary>
    public abstract string FilePattern { get; }

    /// <summary>The images of <c>first … first + count − 1</c> that are already written.</summary>
    public abstract IEnumerable<long> Present(long first, int count);

    /// <summary>The bytes <paramref name="images"/> images like <paramref name="sample"/> take on disk; <paramref name="how"/> says how that was estimated.</summary>
    public abstract long BytesOnDisk(MLImage sample, long images, out string how);

    protected abstract bool IsOurs(string fileName);

    /// <summary>One PNG file per image.</summary>
    public sealed class Png(ImageFolderWriter writer) : GenerationOutput(writer.Directory)
    {
        public ImageFolderWriter Writer => writer;

        public override string Format => "png";

        public override string FilePattern => writer.FilePattern;

        public override IEnumerable<long> Present(long first, int count) =>
            Existing().Select(path => writer.IndexOf(Path.GetFileName(path))!.Value).Where(index => index >= first && index - first < count);

        public override long BytesOnDisk(MLImage sample, long images, out string how)
        {
            long encoded = writer.EncodedLength(sample);
            long perFile = Math.Max(BlockBytes, (encoded + BlockBytes - 1) / BlockBytes * BlockBytes);
            how = $"{Bytes(perFile)} each: one sample encodes to {encoded} bytes, and a file takes whole {BlockBytes}-byte blocks";
            return images * perFile;
        }

        protected override bool IsOurs(string fileName) => writer.IndexOf(fileName) != null;
    }

    /// <summary>One ML.NET binary IDataView file per shard, <c>images_FIRST-LAST.idv</c>.</summary>
    public sealed class Idv(string folder, long first, int count, int channels) : GenerationOutput(folder)
    {
        public string Path => System.IO.Path.Combine(Folder, FormattableString.Invariant($"images_{first:D5}-{first + count - 1:D5}.idv"));

        public int Channels => channels;

        public override string Format => "idv";

        public override string FilePattern => "images_*.idv";

        public override IEnumerable<long> Present(long first, int count) =>
            File.Exists(Path) ? Enumerable.Range(0, count).Select(offset => first + offset) : Enumerable.Empty<long>();

        public override long BytesOnDisk(MLImage sample, long images, out string how)
        {
            long perImage = (long)channels * sample.Width * sample.Height + sizeof(long);
            how = $"{perImage} bytes each before compression: {channels}x{sample.Height}x{sample.Width} pixel bytes and the index";
            return images * perImage;
        }

        protected override bool IsOurs(string fileName) => fileName.StartsWith("images_", StringComparison.Ordinal) && fileName.EndsWith(".idv", StringComparison.Ordinal);
    }

    /// <summary>A size for messages: bytes, KiB, MiB or GiB.</summary>
    public static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 => FormattableString.Invariant($"{bytes / (double)(1L << 30):F1} GiB"),
        >= 1L << 20 => FormattableString.Invariant($"{bytes / (double)(1L << 20):F1} MiB"),
        >= 1L << 10 => FormattableString.Invariant($"{bytes / 1024.0:F1} KiB"),
        _ => FormattableString.Invariant($"{bytes} bytes"),
    };
}
