using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Gan.Data;

namespace Microsoft.ML.Gan.Networks;

/// <summary>
/// How a residual pair is sized to an image: G starts from a StartHeight × StartWidth map and doubles it with Depth
/// up-sampling blocks; D halves the image back to that map with Depth down-sampling blocks.
/// </summary>
/// <remarks>
/// Depth = how many times height and width can both be halved exactly while staying ≥ 4, capped at 5, as for the DCGAN;
/// the residual pair needs at least two blocks and a start map of at most 8×8 (global sum pooling over a larger map would
/// leave D's last block looking at a small part of the image): 28 → 2 blocks from 7×7, 32 → 3 from 4×4, 64 → 4,
/// 128 → 5, 256 → 5 from 8×8; 30, 100 and anything under 16 cannot be built.
/// Channels: the maps at the image's resolution have <see cref="ImageResolutionChannels"/>, doubling at each halving toward
/// the start map, capped at <see cref="MaxChannels"/> (16 × as in BigGAN): 48, 24, 12 at 28 px; 192, 192, 96, 48, 24, 12
/// at 128 px. The width is chosen so that the 28 and 32 px networks cost about as much per step as the DCGAN's: the
/// residual networks convolve at every resolution twice, the DCGAN once with a stride (docs/small-data.md gives the
/// measured ratio).
/// </remarks>
internal readonly record struct ResNetLayout(int Depth, int StartHeight, int StartWidth)
{
    public const int MinDepth = 2;
    public const int MaxDepth = DcganLayout.MaxDepth;
    public const int MaxStartSize = 8;
    public const int ImageResolutionChannels = 12;
    public const int MaxChannels = 16 * ImageResolutionChannels;

    /// <summary>The DCGAN's halving ladder for <paramref name="shape"/>: the same depth and start map.</summary>
    public static ResNetLayout For(ImageShape shape)
    {
        DcganLayout ladder = DcganLayout.For(shape);
        return new ResNetLayout(ladder.Depth, ladder.StartHeight, ladder.StartWidth);
    }

    /// <summary>Whether the networks can be built: at least <see cref="MinDepth"/> blocks from a start map of at most 8×8.</summary>
    public bool IsBuildable => Depth >= MinDepth && StartHeight <= MaxStartSize && StartWidth <= MaxStartSize;

    /// <summary>Every square side the networks can be built for, smallest first.</summary>
    public static IEnumerable<int> BuildableSquareSides() =>
        Enumerable.Range(1, MaxStartSize << MaxDepth).Where(side => For(new ImageShape(1, side, side)).IsBuildable);

    /// <summary>Channels of the map at <paramref name="level"/>: 0 is the start map, Depth the image's resolution.</summary>
    public int Channels(int level) => Math.Min(ImageResolutionChannels << (Depth - level), MaxChannels);

    /// <summary>Height of the map at <paramref name="level"/> (level Depth is the image).</summary>
    public int HeightAt(int level) => StartHeight << level;

    /// <summary>Width of the map at <paramref name="level"/> (level Depth is the image).</summary>
    public int WidthAt(int level) => StartWidth << level;
}
