using System.Collections.Generic;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Microsoft.ML.Gan.Tests.TestData;

/// <summary>Reads generated images back as grayscale pixel arrays in [0, 1] (the blue channel of each BGRA pixel).</summary>
internal static class GeneratedImages
{
    public static List<float[]> ReadGray(IDataView images, string column = "Image")
    {
        var result = new List<float[]>();
        DataViewSchema.Column imageColumn = images.Schema[column];
        using DataViewRowCursor cursor = images.GetRowCursor(new[] { imageColumn });
        ValueGetter<MLImage> getter = cursor.GetGetter<MLImage>(imageColumn);
        MLImage image = null!;
        while (cursor.MoveNext())
        {
            getter(ref image);
            result.Add(ToGray(image));
            image.Dispose();
        }
        return result;
    }

    public static float[] ToGray(MLImage image)
    {
        var gray = new float[image.Width * image.Height];
        System.ReadOnlySpan<byte> pixels = image.Pixels;
        for (int i = 0; i < gray.Length; i++)
        {
            gray[i] = pixels[4 * i] / 255f;
        }
        return gray;
    }
}
