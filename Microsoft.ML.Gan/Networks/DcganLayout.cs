using System;
using Microsoft.ML.Gan.Data;

namespace Microsoft.ML.Gan.Networks;

/// <summary>
/// How a DCGAN pair is sized to an image: G starts from a StartHeight × StartWidth map and doubles it Depth times;
/// D halves the image Depth times back to that map.
/// </summary>
/// <remarks>
/// Depth = how many times height and width can both be halved exactly while staying ≥ 4, capped at 5
/// (8 → 1 from 4×4, 28 → 2 from 7×7, 32 → 3 from 4×4, 64 → 4, 128 → 5, 256 → 5 from 8×8).
/// Channels: the hidden map next to the image has 64 channels, doubling toward the start map, capped at 512.
/// </remarks>
internal readonly record struct DcganLayout(int Depth, int StartHeight, int StartWidth)
{
    public const int MaxDepth = 5;
    public const int MinStartSize = 4;
    public const int LastHiddenChannels = 64;
    public const int MaxChannels = 512;

    public static DcganLayout For(ImageShape shape)
    {
        int depth = 0;
        int height = shape.Height;
        int width = shape.Width;
        while (depth < MaxDepth && height % 2 == 0 && width % 2 == 0 && height / 2 >= MinStartSize && width / 2 >= MinStartSize)
        {
            height /= 2;
            width /= 2;
            depth++;
        }

        return new DcganLayout(depth, height, width);
    }

    /// <summary>Channels of the map at <paramref name="level"/>: 0 is the start map, Depth − 1 the one next to the image.</summary>
    public int HiddenChannels(int level)
    {
        int doublings = Depth - 1 - level; // at most MaxDepth − 1, so the shift cannot overflow
        return Math.Min(LastHiddenChannels << doublings, MaxChannels);
    }

    /// <summary>Height of the map at <paramref name="level"/> (level Depth is the image).</summary>
    public int HeightAt(int level) => StartHeight << level;

    /// <summary>Width of the map at <paramref name="level"/> (level Depth is the image).</summary>
    public int WidthAt(int level) => StartWidth << level;
}
