using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Data;
using Microsoft.ML.Gan.Networks;
using Microsoft.ML.Gan.Transformers;
using Microsoft.ML.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Tests.Features;

/// <summary>
/// Freshly initialised GANs of every kind with 16×16 images (a DCGAN discriminator of two convolutional layers: 64
/// channels at 8×8, 128 at 4×4), and random labelled images for them, for featurizer tests that need no training.
/// </summary>
internal static class FeaturizedModels
{
    public const int Side = 16;

    public static readonly ImageShape Shape = new(1, Side, Side);

    /// <summary>The transformer kinds the featurizer accepts.</summary>
    public static readonly string[] Kinds = { "Gan", "Conditional", "OGan" };

    public sealed class Row
    {
        public float[] Image { get; set; } = Array.Empty<float>();

        [KeyType(3)]
        public uint Label { get; set; }
    }

    public static GanTransformerBase Create(IHostEnvironment environment, string kind, GanArchitecture architecture = GanArchitecture.Dcgan)
    {
        var input = new ImageInputFormat("Image", false, Shape, 1f);
        var spec = new NetworkSpec(architecture, Shape, 4);
        using var initRandom = new torch.Generator(11);
        var history = new List<GanTrainingRecord>();
        switch (kind)
        {
            case "Gan":
                return new GanTransformer(environment, new GanModel(spec, GanLoss.NonSaturating, input,
                    GanNetworkFactory.CreateGenerator(spec, initRandom), GanNetworkFactory.CreateDiscriminator(spec, initRandom), CPU, history));
            case "Conditional":
                var labels = new ClassLabels(new KeyDataViewType(typeof(uint), 3), new[] { "a", "b", "c" }, new[] { 0.4, 0.3, 0.3 });
                var conditioning = new LabelConditioning("Label", labels, ConditioningMethod.ProjectionAndAuxiliaryClassifier);
                return new ConditionalGanTransformer(environment, new GanModel(spec, GanLoss.NonSaturating, input,
                    GanNetworkFactory.CreateConditionalGenerator(spec, 3, initRandom),
                    GanNetworkFactory.CreateConditionalDiscriminator(spec, 3, conditioning.Method, initRandom), CPU, history, conditioning));
            case "OGan":
                NetworkSpec encoderSpec = spec with { DiscriminatorOutputs = spec.LatentDimension };
                return new OGanTransformer(environment, new OGanModel(new GanModel(encoderSpec, GanLoss.GanQp, input,
                    GanNetworkFactory.CreateGenerator(encoderSpec, initRandom), new OGanCritic(encoderSpec, scoreHead: false, initRandom), CPU, history)));
            default:
                throw new KeyNotFoundException(kind);
        }
    }

    /// <summary>The network the featurizer should read: D, the conditional D's image path φ(x), or O-GAN's encoder E.</summary>
    public static nn.Module ImagePath(GanTransformerBase model)
    {
        nn.Module? path = null;
        model.Networks.WithNetworks((_, discriminator) => path = discriminator switch
        {
            ConditionalDiscriminator conditional => conditional.Unconditional,
            OGanCritic critic => critic.Encoder,
            _ => discriminator,
        });
        return path!;
    }

    /// <summary><paramref name="count"/> random 16×16 images in [0, 1] (Vector&lt;Single, 1, 16, 16&gt;) with a 3-class key Label.</summary>
    public static IDataView Images(MLContext mlContext, int count, int seed = 3, int side = Side)
    {
        var random = new Random(seed);
        var rows = Enumerable.Range(0, count).Select(i => new Row
        {
            Image = Enumerable.Range(0, side * side).Select(_ => (float)random.NextDouble()).ToArray(),
            Label = (uint)(i % 3) + 1,
        }).ToList();
        return mlContext.Data.LoadFromEnumerable(rows, Schema(side));
    }

    public static SchemaDefinition Schema(int side = Side)
    {
        SchemaDefinition schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Image)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 1, side, side);
        return schema;
    }

    /// <summary>
    /// The features computed the long way for one image in [0, 1]: through <paramref name="imagePath"/>'s blocks one by
    /// one, each LeakyReLU output max-pooled over PyTorch's adaptive windows [⌊i·h/g⌋, ⌈(i+1)·h/g⌉) in plain C#.
    /// </summary>
    public static float[] Direct(nn.Module imagePath, float[] pixels, int grid)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        nn.Module blocks = imagePath.named_children().Single(child => child.name == "features").module;
        Tensor x = tensor(pixels.Select(v => (v * 2) - 1).ToArray(), new long[] { 1, 1, Side, Side });
        var features = new List<float>();
        foreach ((string name, nn.Module block) in blocks.named_children())
        {
            if (name == "flatten")
            {
                break;
            }
            x = ((nn.Module<Tensor, Tensor>)block).call(x);
            if (name.StartsWith("lrelu", StringComparison.Ordinal))
            {
                features.AddRange(MaxPool(x, grid));
            }
        }
        return features.ToArray();
    }

    /// <summary>What the featurizer should compute for a ResNet image path: each residual block's output after a ReLU, max-pooled.</summary>
    public static float[] DirectResNet(nn.Module imagePath, float[] pixels, int grid)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        nn.Module blocks = imagePath.named_children().Single(child => child.name == "blocks").module;
        Tensor x = tensor(pixels.Select(v => (v * 2) - 1).ToArray(), new long[] { 1, 1, Side, Side });
        var features = new List<float>();
        foreach ((string _, nn.Module block) in blocks.named_children())
        {
            x = ((nn.Module<Tensor, Tensor>)block).call(x);
            features.AddRange(MaxPool(nn.functional.relu(x), grid));
        }
        return features.ToArray();
    }

    private static IEnumerable<float> MaxPool(Tensor map, int grid)
    {
        int channels = (int)map.shape[1], height = (int)map.shape[2], width = (int)map.shape[3];
        float[] values = map.contiguous().data<float>().ToArray();
        for (int c = 0; c < channels; c++)
        {
            for (int i = 0; i < grid; i++)
            {
                for (int j = 0; j < grid; j++)
                {
                    float max = float.NegativeInfinity;
                    for (int y = i * height / grid; y < (((i + 1) * height) + grid - 1) / grid; y++)
                    {
                        for (int x = j * width / grid; x < (((j + 1) * width) + grid - 1) / grid; x++)
                        {
                            max = Math.Max(max, values[(c * height * width) + (y * width) + x]);
                        }
                    }
                    yield return max;
                }
            }
        }
    }
}
