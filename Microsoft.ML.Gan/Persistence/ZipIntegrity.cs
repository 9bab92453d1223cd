using System;
using System.Buffers;
using System.IO;
using System.IO.Compression;

namespace Microsoft.ML.Gan.Persistence;

/// <summary>
/// Checks every entry of a model zip against the CRC-32 the zip records for it, which System.IO.Compression does not
/// check before .NET 11: a damaged ML.NET entry (a schema, a normaliser's parameters in a chain) is then an error too.
/// </summary>
internal static class ZipIntegrity
{
    private const uint Polynomial = 0xEDB88320; // CRC-32 of the zip format (IEEE 802.3), bits reflected

    private static readonly uint[] s_table = CreateTable();

    /// <summary>
    /// Throws <see cref="InvalidDataException"/> naming the first entry whose contents do not match its CRC-32 or length,
    /// except the entries named <paramref name="skippedName"/> (covered by a stronger check of their own).
    /// </summary>
    public static void Verify(ZipArchive archive, string skippedName)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            foreach (ZipArchiveEntry entry in archive.Entries)
            {
                if (entry.Name != skippedName && !Matches(entry, buffer))
                {
                    throw Damaged(entry, null);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool Matches(ZipArchiveEntry entry, byte[] buffer)
    {
        uint crc = 0xFFFFFFFF;
        long length = 0;
        try
        {
            using Stream stream = entry.Open();
            int read;
            // Reads at most one byte past the recorded length: a longer entry is damaged, however long it would inflate.
            while (length <= entry.Length && (read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, entry.Length - length + 1))) > 0)
            {
                crc = Update(crc, buffer.AsSpan(0, read));
                length += read;
            }
        }
        catch (InvalidDataException e)
        {
            throw Damaged(entry, e);
        }
        return length == entry.Length && ~crc == entry.Crc32;
    }

    private static uint Update(uint crc, ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes)
        {
            crc = s_table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }
        return crc;
    }

    private static uint[] CreateTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < table.Length; i++)
        {
            uint value = i;
            for (int bit = 0; bit < 8; bit++)
            {
                value = (value & 1) != 0 ? Polynomial ^ (value >> 1) : value >> 1;
            }
            table[i] = value;
        }
        return table;
    }

    private static InvalidDataException Damaged(ZipArchiveEntry entry, Exception? inner) => new(
        $"The model file is damaged: the contents of its entry '{entry.FullName}' do not match the CRC-32 the zip records for it " +
        "(the file was truncated or altered after it was saved). Load it from a good copy, or save the model again.", inner);
}
