using System;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Benchmarks;

/// <summary>
/// A small CNN trained on real Fashion-MNIST, for judging reconstructions: does G(N(E(x))) get x's label?
/// Conv 1→32 (3×3) ReLU MaxPool, Conv 32→64 (3×3) ReLU MaxPool, Linear 64·7·7→128 ReLU, Linear 128→10.
/// </summary>
internal sealed class FashionClassifier : IDisposable
{
    private readonly nn.Module<Tensor, Tensor> _network = nn.Sequential(
        nn.Conv2d(1, 32, 3, padding: 1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding: 1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, 10));

    /// <summary>Trains on images [N, 1, 28, 28] in [−1, 1] and labels [N] (int64) with Adam, batch 128.</summary>
    public void Train(Tensor images, Tensor labels, int epochs, int seed)
    {
        using var optimizer = optim.Adam(_network.parameters(), 1e-3);
        using var shuffle = new Generator((ulong)seed);
        long count = images.shape[0];
        _network.train();
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            using Tensor order = randperm(count, generator: shuffle);
            for (long start = 0; start + 128 <= count; start += 128)
            {
                using var scope = NewDisposeScope();
                Tensor rows = order.narrow(0, start, 128);
                Tensor loss = nn.functional.cross_entropy(_network.call(images.index_select(0, rows)), labels.index_select(0, rows));
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
            }
        }
        _network.eval();
    }

    /// <summary>Predicted classes [N] for images [N, 1, 28, 28] in [−1, 1].</summary>
    public long[] Predict(Tensor images)
    {
        var result = new long[images.shape[0]];
        using var noGrad = no_grad();
        for (long start = 0; start < images.shape[0]; start += 1000)
        {
            using var scope = NewDisposeScope();
            long rows = Math.Min(1000, images.shape[0] - start);
            _network.call(images.narrow(0, start, rows)).argmax(1).data<long>().ToArray().CopyTo(result, start);
        }
        return result;
    }

    public void Dispose() => _network.Dispose();
}
