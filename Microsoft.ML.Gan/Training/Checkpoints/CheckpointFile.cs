using System;
using System.IO;
using System.Security.Cryptography;

namespace Microsoft.ML.Gan.Training.Checkpoints;

/// <summary>
/// The envelope of a checkpoint file: magic, format version, payload length, payload, SHA-256 of the payload. A file
/// cut short by a crash or altered on disk fails the length or hash check and is reported, never half-read.
/// </summary>
internal static class CheckpointFile
{
    private const int FormatVersion = 1;
    private const int ChunkSize = 1 << 16;
    private static readonly byte[] Magic = "GANCKPT\n"u8.ToArray();

    /// <summary>Writes <paramref name="payload"/> to <paramref name="stream"/> in chunks, stopping between chunks when <paramref name="isCanceled"/>.</summary>
    /// <exception cref="OperationCanceledException">Cancelled before the last chunk was written.</exception>
    public static void Write(Stream stream, byte[] payload, Func<bool> isCanceled)
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(FormatVersion);
        writer.Write((long)payload.Length);
        for (int offset = 0; offset < payload.Length; offset += ChunkSize)
        {
            if (offset > 0 && isCanceled())
            {
                throw new OperationCanceledException("GAN training was cancelled while a checkpoint was being written.");
            }
            writer.Write(payload, offset, Math.Min(ChunkSize, payload.Length - offset));
        }
        writer.Write(SHA256.HashData(payload));
        writer.Flush();
    }

    /// <summary>The payload of the checkpoint at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a checkpoint, or is truncated or corrupt.</exception>
    public static byte[] Read(string path)
    {
        using FileStream stream = File.OpenRead(path);
        var header = new byte[Magic.Length];
        if (stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length || !header.AsSpan().SequenceEqual(Magic))
        {
            string what = header.AsSpan(0, 2).SequenceEqual("PK"u8)
                ? "a zip file (a model saved with mlContext.Model.Save?), not a training checkpoint; checkpoints are the checkpoint-*.gancheckpoint files in a CheckpointDirectory"
                : "not a training checkpoint";
            throw new InvalidDataException($"'{path}' is {what}.");
        }
        using var reader = new BinaryReader(stream);
        int version = reader.ReadInt32();
        if (version != FormatVersion)
        {
            throw new InvalidDataException($"Checkpoint '{path}' has format version {version}; this library reads version {FormatVersion}.");
        }
        long length = reader.ReadInt64();
        long expected = Magic.Length + sizeof(int) + sizeof(long) + length + SHA256.HashSizeInBytes;
        if (length < 0 || stream.Length != expected)
        {
            throw new InvalidDataException($"Checkpoint '{path}' is truncated or damaged: {stream.Length} bytes on disk, {expected} expected.");
        }
        byte[] payload = reader.ReadBytes((int)length);
        byte[] hash = reader.ReadBytes(SHA256.HashSizeInBytes);
        if (!SHA256.HashData(payload).AsSpan().SequenceEqual(hash))
        {
            throw new InvalidDataException($"Checkpoint '{path}' is corrupt: its contents do not match its checksum.");
        }
        return payload;
    }
}
