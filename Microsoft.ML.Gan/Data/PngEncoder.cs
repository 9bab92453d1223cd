using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;

namespace Microsoft.ML.Gan.Data;

/// <summary>
/// Writes 8-bit grayscale and 8-bit RGB PNG files (ISO/IEC 15948): each row Sub-filtered, the rows deflated at zlib's
/// fastest level. For generated images this is about 4× quicker per image than SkiaSharp's encoder (which tries every
/// filter on every row at its default level), which decides how many files per second <c>gan generate</c> writes.
/// </summary>
internal static class PngEncoder
{
    private const byte SubFilter = 1;
    private static readonly byte[] Signature = { 137, 80, 78, 71, 13, 10, 26, 10 };
    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>A PNG of <paramref name="width"/> × <paramref name="height"/> gray levels, one byte per pixel, row by row.</summary>
    public static byte[] EncodeGray(int width, int height, ReadOnlySpan<byte> gray) => Encode(width, height, gray, sourceBytesPerPixel: 1);

    /// <summary>A PNG of the colours of <paramref name="width"/> × <paramref name="height"/> Bgra32 pixels (alpha is not written).</summary>
    public static byte[] EncodeBgraAsRgb(int width, int height, ReadOnlySpan<byte> bgra) => Encode(width, height, bgra, sourceBytesPerPixel: 4);

    private static byte[] Encode(int width, int height, ReadOnlySpan<byte> pixels, int sourceBytesPerPixel)
    {
        if (width <= 0 || height <= 0 || (long)width * height * sourceBytesPerPixel != pixels.Length)
        {
            throw new ArgumentException($"{pixels.Length} bytes cannot be a {width}x{height} image of {sourceBytesPerPixel} byte(s) per pixel.");
        }
        int channels = sourceBytesPerPixel == 1 ? 1 : 3;
        int stride = width * channels;
        var output = new MemoryStream(64 + stride * height / 2);
        output.Write(Signature);

        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8;                                   // bit depth
        header[9] = (byte)(channels == 1 ? 0 : 2);       // colour type: grayscale or truecolour
        // header[10..12]: deflate compression, adaptive filtering, no interlace (all 0)
        WriteChunk(output, "IHDR"u8, header);

        var compressed = new MemoryStream(stride * height / 2 + 64);
        var line = new byte[stride];
        var filtered = new byte[stride + 1];
        filtered[0] = SubFilter;
        using (var deflate = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            for (int row = 0; row < height; row++)
            {
                ReadOnlySpan<byte> source = pixels.Slice(row * width * sourceBytesPerPixel, width * sourceBytesPerPixel);
                if (channels == 1)
                {
                    source.CopyTo(line);
                }
                else
                {
                    for (int x = 0, s = 0, d = 0; x < width; x++, s += 4, d += 3)
                    {
                        line[d] = source[s + 2];
                        line[d + 1] = source[s + 1];
                        line[d + 2] = source[s];
                    }
                }
                // Sub: each byte minus the same channel of the pixel to its left, which smooth images turn into small numbers.
                for (int i = 0; i < stride; i++)
                {
                    filtered[i + 1] = (byte)(line[i] - (i >= channels ? line[i - channels] : 0));
                }
                deflate.Write(filtered);
            }
        }
        WriteChunk(output, "IDAT"u8, compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
        WriteChunk(output, "IEND"u8, ReadOnlySpan<byte>.Empty);
        return output.ToArray();
    }

    private static void WriteChunk(MemoryStream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        output.Write(type);
        output.Write(data);
        uint crc = Crc(Crc(0xFFFFFFFFu, type), data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        output.Write(word);
    }

    private static uint Crc(uint crc, ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }
        return crc;
    }

    // The CRC-32 of PNG's specification (polynomial 0xEDB88320, reflected).
    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }
            table[n] = c;
        }
        return table;
    }
}
