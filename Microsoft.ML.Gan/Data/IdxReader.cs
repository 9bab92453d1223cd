using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;

namespace Microsoft.ML.Gan.Data;

/// <summary>
/// Reads the IDX files of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/), plain or gzip-compressed.
/// </summary>
/// <remarks>
/// Layout (all integers 32-bit big-endian): a magic number 0x000008DD where 08 says "unsigned byte" and DD is the
/// number of dimensions, then one size per dimension, then the data.
/// Images: 0x00000803, count, rows, columns, count × rows × columns bytes.
/// Labels: 0x00000801, count, count bytes.
/// Compression is detected from the gzip magic bytes 1F 8B, never from the file extension.
/// </remarks>
internal static class IdxReader
{
    public const int ImagesMagicNumber = 0x00000803;
    public const int LabelsMagicNumber = 0x00000801;

    /// <summary>Reads an IDX images file (magic number 0x00000803).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not an IDX images file or is truncated.</exception>
    public static IdxImages ReadImages(string path)
    {
        using Stream stream = Open(path, "images");
        Span<byte> header = stackalloc byte[16];
        ReadHeader(stream, path, "images", header, ImagesMagicNumber);
        int count = ReadDimension(header, 1, path, "image count");
        int height = ReadDimension(header, 2, path, "image height");
        int width = ReadDimension(header, 3, path, "image width");
        if (height == 0 || width == 0)
        {
            throw new InvalidDataException(FormattableString.Invariant(
                $"IDX images file '{path}' declares images of {height}x{width} pixels; both sizes must be positive."));
        }

        long length = (long)count * height * width;
        if (length > Array.MaxLength)
        {
            throw new InvalidDataException(FormattableString.Invariant(
                $"IDX images file '{path}' declares {count} images of {height}x{width} pixels ({length} bytes), more than one array can hold."));
        }

        byte[] pixels = ReadData(stream, path, (int)length,
            FormattableString.Invariant($"{count} images of {height}x{width} pixels"));
        return new IdxImages(pixels, count, height, width);
    }

    /// <summary>Reads an IDX labels file (magic number 0x00000801): one byte per label.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not an IDX labels file or is truncated.</exception>
    public static byte[] ReadLabels(string path)
    {
        using Stream stream = Open(path, "labels");
        Span<byte> header = stackalloc byte[8];
        ReadHeader(stream, path, "labels", header, LabelsMagicNumber);
        int count = ReadDimension(header, 1, path, "label count");
        return ReadData(stream, path, count, FormattableString.Invariant($"{count} labels"));
    }

    private static Stream Open(string path, string kind)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"IDX {kind} file '{Path.GetFullPath(path)}' was not found.", path);
        }

        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        try
        {
            int first = file.ReadByte();
            int second = file.ReadByte();
            file.Position = 0;
            bool gzip = first == 0x1F && second == 0x8B;
            return gzip ? new GZipStream(file, CompressionMode.Decompress, leaveOpen: false) : file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private static void ReadHeader(Stream stream, string path, string kind, Span<byte> header, int expectedMagic)
    {
        int read = ReadFully(stream, header, path);
        if (read < 4)
        {
            throw new InvalidDataException(FormattableString.Invariant(
                $"IDX {kind} file '{path}' is truncated: it holds {read} bytes, too few for the 4-byte magic number 0x{expectedMagic:X8}."));
        }

        int magic = BinaryPrimitives.ReadInt32BigEndian(header);
        if (magic != expectedMagic)
        {
            string hint = magic switch
            {
                ImagesMagicNumber => " (that is an IDX images file)",
                LabelsMagicNumber => " (that is an IDX labels file)",
                _ => string.Empty,
            };
            throw new InvalidDataException(FormattableString.Invariant(
                $"'{path}' is not an IDX {kind} file: expected magic number 0x{expectedMagic:X8} but found 0x{magic:X8}{hint}."));
        }

        if (read < header.Length)
        {
            throw new InvalidDataException(FormattableString.Invariant(
                $"IDX {kind} file '{path}' is truncated: its header needs {header.Length} bytes but the file holds {read}."));
        }
    }

    private static int ReadDimension(ReadOnlySpan<byte> header, int index, string path, string what)
    {
        int value = BinaryPrimitives.ReadInt32BigEndian(header.Slice(4 * index, 4));
        if (value < 0)
        {
            throw new InvalidDataException(FormattableString.Invariant(
                $"IDX file '{path}' declares a negative {what} ({value})."));
        }

        return value;
    }

    private static byte[] ReadData(Stream stream, string path, int length, string what)
    {
        var data = new byte[length];
        int read = ReadFully(stream, data, path);
        if (read < length)
        {
            throw new InvalidDataException(FormattableString.Invariant(
                $"IDX file '{path}' is truncated: its header declares {what} ({length} bytes of data) but only {read} bytes follow."));
        }

        return data;
    }

    private static int ReadFully(Stream stream, Span<byte> buffer, string path)
    {
        try
        {
            return stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"IDX file '{path}' is not a valid gzip stream: {e.Message}", e);
        }
    }
}
