using System.IO;
using Microsoft.ML.Gan.Data;

namespace Microsoft.ML.Gan.Persistence;

/// <summary>
/// How the image-reading transformers (the featurizer, the image classifier) store the input they expect: column name,
/// grayscale flag, channels, height, width and input scale, in that order.
/// </summary>
internal static class ImageInputFormatRecord
{
    public static void Write(BinaryWriter writer, ImageInputFormat input)
    {
        writer.Write(input.ColumnName);
        writer.Write(input.Grayscale);
        writer.Write(input.Shape.Channels);
        writer.Write(input.Shape.Height);
        writer.Write(input.Shape.Width);
        writer.Write(input.InputScale);
    }

    /// <summary>Reads what <see cref="Write"/> wrote, refusing a side below <paramref name="minimumSide"/> or above the payload bound.</summary>
    /// <exception cref="InvalidDataException">A value is out of bounds or the data ends early.</exception>
    public static ImageInputFormat Read(BinaryReader reader, int minimumSide)
    {
        string column = reader.ReadBoundedString("image column name");
        bool grayscale = reader.ReadBoolean();
        var shape = new ImageShape(
            reader.ReadImageChannels(),
            reader.ReadBoundedInt32("image height", minimumSide, PayloadBounds.MaxImageSide),
            reader.ReadBoundedInt32("image width", minimumSide, PayloadBounds.MaxImageSide));
        return new ImageInputFormat(column, grayscale, shape, reader.ReadSingle());
    }
}
