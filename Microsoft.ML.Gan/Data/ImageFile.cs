using System;
using System.IO;
using System.Globalization;
using System.Text;
using SkiaSharp;

namespace Microsoft.ML.Gan.Data;

/// <summary>
/// Decodes an image file completely and says precisely why it cannot be used: empty, not an image, truncated,
/// corrupt or unreadable.
/// </summary>
/// <remarks>
/// ML.NET's <c>MLImage.CreateFromFile</c> reports every one of these as "Invalid path", and decodes a truncated PNG or
/// JPEG without error, leaving the missing rows black. This check uses the same decoder (SkiaSharp, which MLImage wraps)
/// but reads its result code, so a file that passes is one MLImage and LoadImages decode whole.
/// </remarks>
internal static class ImageFile
{
    private const int ShownBytes = 8;

    /// <summary>Decodes <paramref name="path"/> and returns its size.</summary>
    /// <exception cref="InvalidDataException">
    /// The file cannot be opened (missing, permission denied), is empty, is not an image, is truncated or is corrupt; the
    /// message names the file and the reason.
    /// </exception>
    public static (int Width, int Height) Decode(string path)
    {
        FileStream stream;
        try
        {
            stream = File.OpenRead(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw NotReadable(path, $"the file cannot be opened ({e.Message})", e);
        }

        using (stream)
        {
            long length = stream.Length;
            if (length == 0)
            {
                throw NotReadable(path, "the file is empty (0 bytes)");
            }

            byte[] start = new byte[ShownBytes];
            int startLength = stream.Read(start);
            stream.Position = 0;
            using SKCodec? codec = SKCodec.Create(stream, out SKCodecResult opened);
            if (codec is null)
            {
                throw NotReadable(path, opened == SKCodecResult.IncompleteInput
                    ? FormattableString.Invariant($"the file is truncated: its {length} bytes end inside the image header")
                    : FormattableString.Invariant($"it is not a PNG, JPEG, BMP, GIF or WebP image (its first bytes are {Hex(start.AsSpan(0, startLength))})"));
            }

            return DecodePixels(path, codec, length);
        }
    }

    private static (int Width, int Height) DecodePixels(string path, SKCodec codec, long length)
    {
        SKImageInfo info = codec.Info.WithColorType(SKColorType.Bgra8888).WithAlphaType(SKAlphaType.Premul);
        using var bitmap = new SKBitmap(info);
        SKCodecResult decoded = codec.GetPixels(info, bitmap.GetPixels());
        return decoded switch
        {
            SKCodecResult.Success => (info.Width, info.Height),
            SKCodecResult.IncompleteInput => throw NotReadable(path, FormattableString.Invariant(
                $"the file is truncated: its {length} bytes end before the {info.Width}x{info.Height} {codec.EncodedFormat} image is complete")),
            SKCodecResult.InvalidInput or SKCodecResult.ErrorInInput => throw NotReadable(path, FormattableString.Invariant(
                $"its {codec.EncodedFormat} data is corrupt (the decoder stopped with {decoded})")),
            _ => throw NotReadable(path, FormattableString.Invariant($"the {codec.EncodedFormat} decoder failed with {decoded}")),
        };
    }

    private static InvalidDataException NotReadable(string path, string reason, Exception? inner = null) =>
        new($"'{path}' is not a readable image: {reason}.", inner);

    private static string Hex(ReadOnlySpan<byte> bytes)
    {
        var hex = new StringBuilder();
        foreach (byte b in bytes)
        {
            hex.Append(hex.Length == 0 ? string.Empty : " ").Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }

        return hex.ToString();
    }
}
