using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using Microsoft.ML.Gan.Persistence;

namespace Microsoft.ML.Gan.Tests.TestSupport;

/// <summary>Model zips in memory: saving, loading, and rewriting the library's payload entry as a damaged or crafted file would.</summary>
internal static class ModelZip
{
    public static byte[] Save(MLContext mlContext, ITransformer model)
    {
        using var stream = new MemoryStream();
        mlContext.Model.Save(model, null, stream);
        return stream.ToArray();
    }

    /// <summary>Loads <paramref name="zip"/> on <paramref name="mlContext"/> (a fresh one when null), with the library's loaders registered.</summary>
    public static ITransformer Load(byte[] zip, MLContext? mlContext = null)
    {
        mlContext ??= new MLContext(seed: 1);
        mlContext.Gan();
        using var stream = new MemoryStream(zip, writable: false);
        return mlContext.Model.Load(stream, out _);
    }

    /// <summary>The bytes of the (single) library payload entry.</summary>
    public static byte[] PayloadEntry(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip, writable: false), ZipArchiveMode.Read);
        using Stream entry = FindPayloadEntry(archive).Open();
        using var copy = new MemoryStream();
        entry.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>The full name of the library payload entry.</summary>
    public static string PayloadEntryName(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip, writable: false), ZipArchiveMode.Read);
        return FindPayloadEntry(archive).FullName;
    }

    /// <summary><paramref name="zip"/> with its payload entry's content replaced by <paramref name="content"/> (zip CRCs recomputed).</summary>
    public static byte[] WithPayloadEntry(byte[] zip, byte[] content)
    {
        var buffer = new MemoryStream();
        buffer.Write(zip);
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Update, leaveOpen: true))
        {
            ZipArchiveEntry old = FindPayloadEntry(archive);
            string name = old.FullName;
            old.Delete();
            using Stream entry = archive.CreateEntry(name).Open();
            entry.Write(content);
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// <paramref name="zip"/> with the kind's payload replaced by what <paramref name="edit"/> makes of it, sealed with a
    /// valid checksum: what someone crafting a file would produce.
    /// </summary>
    public static byte[] WithPayload(byte[] zip, Func<byte[], byte[]> edit)
    {
        (string kind, byte[] payload) = Unseal(PayloadEntry(zip));
        return WithPayloadEntry(zip, MlNetBridge.Seal(kind, edit(payload)));
    }

    /// <summary>The kind and payload of a format-2 payload entry.</summary>
    public static (string Kind, byte[] Payload) Unseal(byte[] entry)
    {
        using var reader = new BinaryReader(new MemoryStream(entry), Encoding.UTF8);
        if (reader.ReadInt32() != MlNetBridge.FormatVersion)
            throw new InvalidOperationException("Not a current-format payload entry.");
        reader.ReadInt32();
        string kind = reader.ReadString();
        long length = reader.ReadInt64();
        return (kind, reader.ReadBytes((int)length));
    }

    private static ZipArchiveEntry FindPayloadEntry(ZipArchive archive) =>
        archive.Entries.Single(e => e.Name == MlNetBridge.PayloadEntryName);
}
