using System;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Evaluation;

/// <summary>What an extractor made of one set of images: float64 features [N, D] and, for classifiers, probabilities [N, K].</summary>
internal sealed class ExtractedFeatures : IDisposable
{
    public ExtractedFeatures(Tensor features, Tensor? probabilities)
    {
        Features = features;
        Probabilities = probabilities;
    }

    public Tensor Features { get; }

    public Tensor? Probabilities { get; }

    public long Count => Features.shape[0];

    public void Dispose()
    {
        Features.Dispose();
        Probabilities?.Dispose();
    }
}
