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
    private static readonly byte[] Magic = "GANCKPT\n"u8.ToArray();

    /// <summary>
    /// Writes <paramref name="payload"/> to <paramref name="stream"/> whole: cancellation does not stop a checkpoint
    /// write, so a run stopped during one still leaves that checkpoint.
    /// </summary>
    public static void Write(Stream stream, byte[] payload)
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(FormatVersion);
        writer.Write((long)payload.Length);
        writer.Write(payload);
        writer.Write(SHA256.HashData(payload));
        writer.Flush();
    }

    /// <summary>The payload of the checkpoint at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a checkpoint, or is truncated or corrupt.</exception>
    public static byte[] Read(string path)
    {
        using FileStream stream = OpenPayload(path);
        using var reader = new BinaryReader(stream);
        long length = stream.Length - stream.Position >= sizeof(long) ? reader.ReadInt64() : 0;
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

    /// <summary>
    /// Opens the checkpoint at <paramref name="path"/> after checking its magic and format version, positioned at the
    /// payload length that precedes the payload. Neither the length nor the checksum is checked: for reading the first
    /// fields of a payload cheaply.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not a checkpoint of a format this library reads.</exception>
    public static FileStream OpenPayload(string path)
    {
        FileStream stream = File.OpenRead(path);
        try
        {
            var header = new byte[Magic.Length + sizeof(int)];
            int read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
            if (read < Magic.Length || !header.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            {
                string what = header.AsSpan(0, 2).SequenceEqual("PK"u8)
                    ? "a zip file (a model saved with mlContext.Model.Save?), not a training checkpoint; checkpoints are the checkpoint-*.gancheckpoint files in a CheckpointDirectory"
                    : "not a training checkpoint";
                throw new InvalidDataException($"'{path}' is {what}.");
            }
            if (read < header.Length)
            {
                throw new InvalidDataException($"Checkpoint '{path}' is truncated or damaged: {read} bytes on disk.");
            }
            int version = BitConverter.ToInt32(header, Magic.Length);
            if (version != FormatVersion)
            {
                throw new InvalidDataException($"Checkpoint '{path}' has format version {version}; this library reads version {FormatVersion}.");
            }
            return stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }
}
