using System;

namespace Microsoft.ML.Gan;

/// <summary>Thrown when a loss becomes NaN or infinite: training stops instead of producing a broken model.</summary>
public sealed class GanTrainingDivergedException : InvalidOperationException
{
    internal GanTrainingDivergedException(int firstStep, int lastStep, string values)
        : base((firstStep == lastStep ? $"GAN training diverged at generator update {lastStep}: " : $"GAN training diverged between generator updates {firstStep} and {lastStep}: ")
               + values + ". Lower the learning rates, use a Wasserstein loss with a gradient penalty, or enable SpectralNormalization.")
    {
        FirstStep = firstStep;
        LastStep = lastStep;
    }

    /// <summary>The first generator update at which the loss may have become non-finite.</summary>
    public int FirstStep { get; }

    /// <summary>The generator update at which the non-finite loss was seen.</summary>
    public int LastStep { get; }
}
