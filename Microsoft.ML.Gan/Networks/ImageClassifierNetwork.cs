using Microsoft.ML.Gan.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Networks;

/// <summary>
/// The small CNN behind <see cref="ImageClassifierTransformer"/>: [N, C, H, W] → features [N, D] → class logits [N, K].
/// </summary>
/// <remarks>
/// For 1×28×28: Conv2d 3×3 C→32 [N, 32, 28, 28], BatchNorm, ReLU, MaxPool 2 [N, 32, 14, 14]; Conv2d 3×3 32→64
/// [N, 64, 14, 14], BatchNorm, ReLU, MaxPool 2 [N, 64, 7, 7]; flatten [N, 3136]; Linear → D, ReLU (the features);
/// Linear D → K (the logits). Images need at least 4 pixels a side.
/// </remarks>
internal sealed class ImageClassifierNetwork : nn.Module<Tensor, Tensor>
{
    public const int MinimumSide = 4;

    // Field names = key prefixes of the saved weights.
    private readonly Sequential features;
    private readonly Linear head;

    public ImageClassifierNetwork(ImageShape shape, int featureDimension, int classes)
        : base(nameof(ImageClassifierNetwork))
    {
        long flattened = 64L * (shape.Height / 4) * (shape.Width / 4);
        features = nn.Sequential(
            ("conv1", nn.Conv2d(shape.Channels, 32, 3, padding: 1)),   // [N, 32, H, W]
            ("bn1", nn.BatchNorm2d(32)),
            ("relu1", nn.ReLU()),
            ("pool1", nn.MaxPool2d(2)),                                  // [N, 32, H/2, W/2]
            ("conv2", nn.Conv2d(32, 64, 3, padding: 1)),                 // [N, 64, H/2, W/2]
            ("bn2", nn.BatchNorm2d(64)),
            ("relu2", nn.ReLU()),
            ("pool2", nn.MaxPool2d(2)),                                  // [N, 64, H/4, W/4]
            ("flatten", nn.Flatten()),                                   // [N, 64·(H/4)·(W/4)]
            ("fc", nn.Linear(flattened, featureDimension)),              // [N, D]
            ("relu3", nn.ReLU()));
        head = nn.Linear(featureDimension, classes);                     // [N, K]
        register_module(nameof(features), features);
        register_module(nameof(head), head);
        RegisterComponents();
    }

    /// <summary>The trainable parameters of the network the constructor builds, computed without building it.</summary>
    public static double ParameterCount(ImageShape shape, int featureDimension, int classes)
    {
        double flattened = 64.0 * (shape.Height / 4) * (shape.Width / 4);
        double convolutions = (shape.Channels * 32.0 * 9) + 32 + (32.0 * 64 * 9) + 64;
        double batchNorms = 2 * (32 + 64);
        return convolutions + batchNorms + (flattened * featureDimension) + featureDimension + ((double)featureDimension * classes) + classes;
    }

    /// <summary>The penultimate layer: [N, C, H, W] → [N, D].</summary>
    public Tensor Features(Tensor images) => features.forward(images);

    /// <summary>Class logits from features: [N, D] → [N, K].</summary>
    public Tensor Classify(Tensor features) => head.forward(features);

    public override Tensor forward(Tensor images)
    {
        using Tensor f = Features(images);
        return Classify(f);
    }
}
