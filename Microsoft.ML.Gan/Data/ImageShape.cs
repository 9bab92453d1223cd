using System;

namespace Microsoft.ML.Gan.Data;

/// <summary>The planar (channels × height × width) shape of the images a GAN is trained on and generates.</summary>
internal readonly record struct ImageShape(int Channels, int Height, int Width)
{
    public int PixelCount => Channels * Height * Width;

    public long[] AsBatchShape(long batch) => new[] { batch, Channels, Height, Width };

    public override string ToString() => FormattableString.Invariant($"{Channels}x{Height}x{Width}");
}
