using System;

namespace Microsoft.ML.Gan.Cli;

/// <summary>What <c>gan generate</c> was asked for.</summary>
internal sealed record GenerationRequest(string ModelPath, int Count, string OutputFolder, int Seed, long StartIndex, double? Truncation,
    string? Label, bool SkipExisting, bool Overwrite)
{
    /// <summary>Throws an <see cref="ArgumentException"/> naming the flag when the count or the index range is impossible.</summary>
    public void Validate()
    {
        if (Count < 0)
        {
            throw new ArgumentException($"--count must be ≥ 0; got {Count}.");
        }
        if (StartIndex < 0)
        {
            throw new ArgumentException($"--start-index must be ≥ 0; got {StartIndex}.");
        }
        if (StartIndex > long.MaxValue - Count)
        {
            throw new ArgumentException($"--start-index {StartIndex} with --count {Count} runs past the last image index there is ({long.MaxValue}); the largest start for this count is {long.MaxValue - Count}.");
        }
    }
}
