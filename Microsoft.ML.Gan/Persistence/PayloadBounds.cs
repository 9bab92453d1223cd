using System;
using System.Globalization;
using System.IO;
using System.Text;

namespace Microsoft.ML.Gan.Persistence;

/// <summary>
/// Reads the sizes a saved payload declares, each checked against a bound and against the bytes left, so a damaged or
/// crafted file is refused before any network is built or buffer allocated from what it claims.
/// </summary>
/// <remarks>
/// The bounds are far above what training produces and low enough that the products the readers form from them
/// (weights of a layer, bytes of a history) fit in an <see cref="long"/>.
/// </remarks>
internal static class PayloadBounds
{
    /// <summary>The largest latent dimension a model file may declare.</summary>
    public const int MaxLatentDimension = 1 << 20;

    /// <summary>The largest image height or width a model file may declare.</summary>
    public const int MaxImageSide = 1 << 14;

    /// <summary>The largest class count (or discriminator output width, feature dimension) a model file may declare.</summary>
    public const int MaxWidth = 1 << 21;

    /// <summary>The longest string (names, enum values), in UTF-8 bytes, a model file may hold.</summary>
    public const int MaxStringBytes = 1 << 16;

    /// <summary>The bytes of a float32 weight.</summary>
    public const int WeightBytes = sizeof(float);

    /// <summary>The bytes between the reader's position and the end of its stream.</summary>
    public static long Remaining(this BinaryReader reader) => reader.BaseStream.Length - reader.BaseStream.Position;

    /// <summary>An int32 that must lie in [<paramref name="minimum"/>, <paramref name="maximum"/>].</summary>
    /// <param name="reader">The payload.</param>
    /// <param name="field">What the value is, for the message ("latent dimension").</param>
    /// <param name="minimum">The smallest valid value.</param>
    /// <param name="maximum">The largest valid value.</param>
    public static int ReadBoundedInt32(this BinaryReader reader, string field, int minimum, int maximum)
    {
        int value = reader.ReadInt32();
        if (value < minimum || value > maximum)
        {
            throw Invalid($"The model declares a {field} of {value}; a valid model file holds {minimum} to {maximum}.");
        }
        return value;
    }

    /// <summary>An image's channel count: 1 (grayscale) or 3 (R, G, B).</summary>
    public static int ReadImageChannels(this BinaryReader reader)
    {
        int channels = reader.ReadInt32();
        if (channels != 1 && channels != 3)
        {
            throw Invalid($"The model declares images of {channels} channels; a valid model file holds 1 (grayscale) or 3 (R, G, B).");
        }
        return channels;
    }

    /// <summary>
    /// A count of <paramref name="itemBytes"/>-byte records that follow: non-negative, at most <paramref name="maximum"/>,
    /// and no more than the bytes left can hold.
    /// </summary>
    public static int ReadCount(this BinaryReader reader, string field, int itemBytes, int maximum = int.MaxValue)
    {
        int count = reader.ReadBoundedInt32(field, 0, maximum);
        if ((long)count * itemBytes > reader.Remaining())
        {
            throw Invalid($"The model declares a {field} of {count} ({(long)count * itemBytes} bytes), but only {reader.Remaining()} bytes follow.");
        }
        return count;
    }

    /// <summary>A string as <see cref="BinaryWriter.Write(string)"/> writes it, at most <see cref="MaxStringBytes"/> long.</summary>
    public static string ReadBoundedString(this BinaryReader reader, string field)
    {
        int length;
        try
        {
            length = reader.Read7BitEncodedInt();
        }
        catch (FormatException e)
        {
            throw Invalid($"The model's {field} has a malformed length.", e);
        }
        if (length < 0 || length > MaxStringBytes || length > reader.Remaining())
        {
            throw Invalid($"The model declares a {field} of {length} bytes; a valid model file holds at most " +
                $"{Math.Min(MaxStringBytes, reader.Remaining())} here.");
        }
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(reader.ReadBytes(length));
        }
        catch (DecoderFallbackException e)
        {
            throw Invalid($"The model's {field} is not valid UTF-8.", e);
        }
    }

    /// <summary>
    /// Refuses a network of <paramref name="weights"/> float32 weights (its trainable parameters, which its saved state
    /// holds at least) when the bytes saved for it cannot hold them: checked before the network is built, so a file
    /// cannot make the library allocate more than it holds.
    /// </summary>
    /// <param name="network">The network, for the message ("generator").</param>
    /// <param name="weights">Weights the network has at least.</param>
    /// <param name="bytesHeld">The bytes of the network's saved weights.</param>
    /// <param name="description">The declared sizes that imply them, for the message.</param>
    public static void CheckWeightsFit(string network, double weights, long bytesHeld, string description)
    {
        double bytes = weights * WeightBytes;
        if (bytes > bytesHeld)
        {
            throw Invalid(string.Create(CultureInfo.InvariantCulture,
                $"The model declares {description}, which needs at least {weights:0} {network} weights ({bytes:0} bytes), " +
                $"but the file holds {bytesHeld} bytes of them."));
        }
    }

    private static InvalidDataException Invalid(string message, Exception? inner = null) =>
        new(message + " The file is damaged or was not written by Microsoft.ML.Gan.", inner);
}
