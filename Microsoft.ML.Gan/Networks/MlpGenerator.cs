using Microsoft.ML.Gan.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Networks;

/// <summary>
/// The fully connected generator of the original GAN (seed 003), with Tanh instead of Sigmoid so pixels are in [−1, 1]:
/// z [N, latent] → [N, C, H, W].
/// </summary>
internal sealed class MlpGenerator : nn.Module<Tensor, Tensor>
{
    public const int HiddenWidth = 256;

    private readonly ImageShape shape;

    // Field name = key prefix of the saved weights ("layers.fc1.weight", ...): keep it stable.
    private readonly Sequential layers;

    public MlpGenerator(int latentDimension, ImageShape shape)
        : base(nameof(MlpGenerator))
    {
        this.shape = shape;
        layers = nn.Sequential(
            ("fc1", nn.Linear(latentDimension, HiddenWidth)),   // [N, latent] → [N, 256]
            ("relu1", nn.ReLU()),
            ("fc2", nn.Linear(HiddenWidth, HiddenWidth)),       // [N, 256] → [N, 256]
            ("relu2", nn.ReLU()),
            ("fc3", nn.Linear(HiddenWidth, shape.PixelCount)),  // [N, 256] → [N, C·H·W]
            ("tanh", nn.Tanh()));
        RegisterComponents();
    }

    public override Tensor forward(Tensor latent)
    {
        using var flat = layers.forward(latent);                // [N, C·H·W]
        return flat.reshape(shape.AsBatchShape(latent.shape[0]));  // [N, C, H, W]
    }
}
