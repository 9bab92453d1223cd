using System;

namespace Microsoft.ML.Gan.Training;

/// <summary>
/// Standard-normal latent vectors where vector i depends only on (seed, i). Generation is then reproducible whatever the
/// batch size, and disjoint index ranges generated apart give exactly the images one run would (libtorch's CPU
/// <c>randn</c> draws differently for different tensor sizes, so it cannot promise either).
/// </summary>
internal static class LatentSampler
{
    /// <param name="destination">Receives the vector.</param>
    /// <param name="seed">The sequence's seed.</param>
    /// <param name="index">The vector's place in the sequence.</param>
    /// <param name="truncation">
    /// Null for the standard normal; else every value drawn with |z| above it is drawn again (the truncated normal of
    /// BigGAN's truncation trick), so a truncated vector is as reproducible as an untruncated one.
    /// </param>
    public static void Fill(Span<float> destination, int seed, long index, double? truncation = null)
    {
        double limit = truncation ?? double.PositiveInfinity;
        ulong state = Mix(unchecked((ulong)(uint)seed * 0x9E3779B97F4A7C15UL) ^ Mix(unchecked((ulong)index)));
        int filled = 0;
        while (filled < destination.Length)
        {
            // Box–Muller: two uniforms in (0, 1] give two independent standard normals.
            double u1 = 1.0 - NextUnit(ref state);
            double u2 = NextUnit(ref state);
            double radius = Math.Sqrt(-2.0 * Math.Log(u1));
            double first = radius * Math.Cos(2 * Math.PI * u2);
            double second = radius * Math.Sin(2 * Math.PI * u2);
            if (Math.Abs(first) <= limit)
            {
                destination[filled++] = (float)first;
            }
            if (filled < destination.Length && Math.Abs(second) <= limit)
            {
                destination[filled++] = (float)second;
            }
        }
    }

    /// <summary>
    /// A uniform draw in [0, 1) that depends only on (seed, index), from a stream of its own so that it does not follow
    /// the latent vector <see cref="Fill"/> gives for the same (seed, index). Conditional generation draws labels with it.
    /// </summary>
    public static double Uniform(int seed, long index)
    {
        ulong state = Mix(unchecked((ulong)(uint)seed * 0x9E3779B97F4A7C15UL) ^ Mix(unchecked((ulong)index)) ^ UniformStream);
        return NextUnit(ref state);
    }

    // Any odd constant unlike the golden-ratio increment separates the uniform stream from the latent one.
    private const ulong UniformStream = 0xD1B54A32D192ED03UL;

    private static double NextUnit(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        return (Mix(state) >> 11) * (1.0 / (1UL << 53));
    }

    // SplitMix64's finaliser: a bijective mix whose outputs pass statistical tests even for consecutive inputs.
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
