using Microsoft.ML.Gan.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Networks;

/// <summary>
/// The fully connected discriminator of the original GAN (seed 003), without the final Sigmoid (losses take logits):
/// [N, C, H, W] → [N, outputs] raw scores.
/// </summary>
internal sealed class MlpDiscriminator : nn.Module<Tensor, Tensor>
{
    public const int HiddenWidth = 64;
    public const double LeakySlope = 0.2;

    // Field name = key prefix of the saved weights ("layers.fc1.weight", ...): keep it stable.
    private readonly Sequential layers;

    public MlpDiscriminator(ImageShape shape, int outputs, bool spectralNormalization, torch.Generator initRandom)
        : base(nameof(MlpDiscriminator))
    {
        layers = nn.Sequential(
            ("flatten", nn.Flatten()),                                                   // [N, C, H, W] → [N, C·H·W]
            ("fc1", Dense(shape.PixelCount, HiddenWidth, spectralNormalization, initRandom)), // → [N, 64]
            ("lrelu1", new LeakyReLU(LeakySlope)),
            ("fc2", Dense(HiddenWidth, HiddenWidth, spectralNormalization, initRandom)),     // → [N, 64]
            ("lrelu2", new LeakyReLU(LeakySlope)),
            ("fc3", Dense(HiddenWidth, outputs, spectralNormalization, initRandom)));        // → [N, outputs]
        RegisterComponents();
    }

    public override Tensor forward(Tensor images) => layers.forward(images);

    internal static nn.Module<Tensor, Tensor> Dense(long inputs, long outputs, bool spectralNormalization, torch.Generator initRandom)
        => spectralNormalization
            ? new SpectralNormLinear(inputs, outputs, initRandom)
            : nn.Linear(inputs, outputs);
}
