using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Benchmarks;

/// <summary>
/// A small CNN that judges generated Fashion-MNIST images: trained on the real training images, it tells which class a
/// generated image looks like. Images are [N, 1, 28, 28] in [−1, 1], as the library reads them.
/// </summary>
internal sealed class ClassJudgeNetwork : nn.Module<Tensor, Tensor>
{
    private readonly Sequential layers;

    public ClassJudgeNetwork()
        : base(nameof(ClassJudgeNetwork))
    {
        layers = nn.Sequential(
            ("conv1", nn.Conv2d(1, 32, 3, padding: 1)),   // [N, 32, 28, 28]
            ("relu1", nn.ReLU()),
            ("pool1", nn.MaxPool2d(2)),                    // [N, 32, 14, 14]
            ("conv2", nn.Conv2d(32, 64, 3, padding: 1)),  // [N, 64, 14, 14]
            ("relu2", nn.ReLU()),
            ("pool2", nn.MaxPool2d(2)),                    // [N, 64, 7, 7]
            ("flatten", nn.Flatten()),
            ("fc1", nn.Linear(64 * 7 * 7, 128)),
            ("relu3", nn.ReLU()),
            ("fc2", nn.Linear(128, 10)));                  // [N, 10] logits
        RegisterComponents();
    }

    public override Tensor forward(Tensor images) => layers.forward(images);

    /// <summary>Adam, cross-entropy, shuffled mini-batches.</summary>
    public void Train(Tensor images, Tensor labels, int epochs, int batchSize, int seed)
    {
        train();
        using var optimizer = optim.Adam(parameters(), 1e-3);
        using var shuffle = new Generator((ulong)seed);
        long count = images.shape[0];
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            using Tensor order = randperm(count, generator: shuffle);
            for (long start = 0; start + batchSize <= count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                Tensor rows = order.narrow(0, start, batchSize);
                Tensor loss = nn.functional.cross_entropy(call(images.index_select(0, rows)), labels.index_select(0, rows));
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
            }
        }
        eval();
    }

    /// <summary>The predicted class of every image.</summary>
    public long[] Predict(Tensor images)
    {
        eval();
        var predictions = new long[images.shape[0]];
        const int batch = 1000;
        for (long start = 0; start < predictions.Length; start += batch)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            long size = Math.Min(batch, predictions.Length - start);
            call(images.narrow(0, start, size)).argmax(1).data<long>().ToArray().CopyTo(predictions, start);
        }
        return predictions;
    }
}
