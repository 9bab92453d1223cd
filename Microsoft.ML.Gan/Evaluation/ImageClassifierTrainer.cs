using System;
using System.Globalization;
using Microsoft.ML.Gan.Data;
using Microsoft.ML.Gan.Networks;
using Microsoft.ML.Gan.Persistence;
using Microsoft.ML.Gan.Torch;
using Microsoft.ML.Gan.Training;
using Microsoft.ML.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Evaluation;

/// <summary>Trains <see cref="ImageClassifierNetwork"/> with Adam and cross-entropy on labelled images.</summary>
internal static class ImageClassifierTrainer
{
    public static ImageClassifierTransformer Train(MLContext context, IDataView data, ImageClassifierOptions options)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ImageColumnReader reader = ImageColumnReader.Create(data.Schema, options.ImageColumnName, options.Grayscale);
        LabelColumnReader.FindClassColumn(data.Schema, options.LabelColumnName);

        TorchBackend.EnsureAvailable();
        IHost host = ((IHostEnvironment)context).Register(nameof(ImageClassifierTrainer));
        using IChannel channel = host.Start("Training image classifier");
        Device device = TorchDevice.Select(context.GpuDeviceId, context.FallbackToCpu, message => channel.Warning(MessageSensitivity.None, message));
        int seed = options.Seed ?? host.Rand.Next();
        Action checkAlive = () =>
        {
            if (MlNetBridge.IsCanceled(host))
            {
                throw new OperationCanceledException("Image classifier training was cancelled.");
            }
        };

        using Tensor images = reader.ReadAll(data, checkAlive);
        ImageShape shape = reader.Shape;
        if (shape.Height < ImageClassifierNetwork.MinimumSide || shape.Width < ImageClassifierNetwork.MinimumSide)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Column '{options.ImageColumnName}' holds {shape.Height}x{shape.Width} images; the classifier needs at least {ImageClassifierNetwork.MinimumSide}x{ImageClassifierNetwork.MinimumSide}."),
                nameof(data));
        }

        (int[] classes, int classCount, string[] names) = LabelColumnReader.ReadClasses(data, options.LabelColumnName);
        if (classes.Length < 2)
        {
            throw new InvalidOperationException($"Column '{options.ImageColumnName}' holds {classes.Length} labelled image(s); a classifier needs at least 2.");
        }

        ImageClassifierNetwork network;
        using (var initRandom = new Generator((ulong)seed))
        {
            network = new ImageClassifierNetwork(shape, options.FeatureDimension, classCount);
            NetworkInitialization.InitializeFanInUniform(network, initRandom);
        }

        try
        {
            network.to(device);
            using Tensor labels = tensor(Array.ConvertAll(classes, c => (long)c));
            Fit(network, images, labels, options, seed, device, channel, checkAlive);
            var input = new ImageInputFormat(options.ImageColumnName, options.Grayscale, shape, reader.InputScale);
            return new ImageClassifierTransformer(network, device, input, options.FeatureDimension, names);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    private static void Fit(ImageClassifierNetwork network, Tensor images, Tensor labels, ImageClassifierOptions options, int seed,
        Device device, IChannel channel, Action checkAlive)
    {
        network.train();
        using var optimizer = new AdamOptimizer(network.parameters(), options.LearningRate, 0.9, 0.999);
        using var shuffleRandom = new Generator((ulong)seed + 1);
        long count = images.shape[0];
        int batch = (int)Math.Min(options.BatchSize, count);
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            double lossSum = 0;
            long correct = 0, seen = 0;
            using Tensor order = randperm(count, generator: shuffleRandom);
            // A last batch of one image is skipped: batch normalisation cannot train on it.
            for (long start = 0; start + 2 <= count; start += batch)
            {
                checkAlive();
                using var scope = NewDisposeScope();
                Tensor indices = order.narrow(0, start, Math.Min(batch, count - start));
                Tensor x = images.index_select(0, indices).to(device);
                Tensor y = labels.index_select(0, indices).to(device);
                Tensor logits = network.call(x);
                Tensor loss = nn.functional.cross_entropy(logits, y);
                optimizer.ZeroGrad();
                loss.backward();
                optimizer.Step();
                lossSum += loss.item<float>() * indices.shape[0];
                correct += logits.argmax(1).eq(y).sum().item<long>();
                seen += indices.shape[0];
            }

            channel.Info(MessageSensitivity.None, string.Create(CultureInfo.InvariantCulture,
                $"epoch {epoch}/{options.Epochs}: loss {lossSum / seen:F4}, training accuracy {correct / (double)seen:P1}"));
        }

        network.eval();
    }
}
