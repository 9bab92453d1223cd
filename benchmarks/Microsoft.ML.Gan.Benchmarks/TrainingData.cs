using System;
using Microsoft.ML.Gan.Data;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Benchmarks;

/// <summary>Fashion-MNIST as the IDataView that Fit reads, and as the one [N, 1, 28, 28] tensor in [−1, 1] that the bare loop reads.</summary>
internal sealed class TrainingData : IDisposable
{
    public TrainingData(MLContext context, string path)
    {
        Path = path;
        View = context.Data.LoadFromIdxFile(path);
        Images = ImageColumnReader.Create(View.Schema, "Image", grayscale: true).ReadAll(View);
    }

    public string Path { get; }

    public IDataView View { get; }

    public Tensor Images { get; }

    public long Count => Images.shape[0];

    public void Dispose() => Images.Dispose();
}
