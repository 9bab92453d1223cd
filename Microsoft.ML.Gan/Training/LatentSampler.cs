using System;

namespace Microsoft.ML.Gan.Training;

/// <summary>
/// Standard-normal latent vectors where vector i depends only on (seed, i). Generation is then reproducible whatever the
/// batch size, and disjoint index ranges generated apart give exactly the images one run would (libtorch's CPU
/// <c>randn</c> draws differently for different tensor sizes, so it cannot promise either).
/// </summary>
internal static class LatentSampler
{
    public static void Fill(Span<float> destination, int seed, long index)
    {
        ulong state = Mix(unchecked((ulong)(uint)seed * 0x9E3779B97F4A7C15UL) ^ Mix(unchecked((ulong)index)));
        for (int i = 0; i < destination.Length; i += 2)
        {
            // Box–Muller: two uniforms in (0, 1] give two independent standard normals.
            double u1 = 1.0 - NextUnit(ref state);
            double u2 = NextUnit(ref state);
            double radius = Math.Sqrt(-2.0 * Math.Log(u1));
            destination[i] = (float)(radius * Math.Cos(2 * Math.PI * u2));
            if (i + 1 < destination.Length)
            {
                destination[i + 1] = (float)(radius * Math.Sin(2 * Math.PI * u2));
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
