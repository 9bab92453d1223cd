using System.Collections.Generic;
using Microsoft.ML.Gan.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Networks;

/// <summary>
/// DCGAN discriminator mirroring <see cref="DcganGenerator"/>: [N, C, H, W] → [N, outputs] raw scores (no Sigmoid).
/// </summary>
/// <remarks>
/// For 1×28×28: Conv2d 1→64 [N, 64, 14, 14], LeakyReLU 0.2; Conv2d 64→128 [N, 128, 7, 7], (BatchNorm2d), LeakyReLU 0.2;
/// flatten [N, 128·7·7]; Linear → [N, outputs]. BatchNorm is left out when asked (WGAN-GP), and every Conv2d/Linear
/// is spectrally normalised when asked.
/// </remarks>
internal sealed class DcganDiscriminator : nn.Module<Tensor, Tensor>, ILayerActivations
{
    public const double LeakySlope = 0.2;
    private const long Kernel = 4;
    private const long Stride = 2;
    private const long Padding = 1;

    // Field names = key prefixes of the saved weights ("features.conv1.weight", "head.weight", ...).
    private readonly Sequential features;
    private readonly nn.Module<Tensor, Tensor> head;

    public DcganDiscriminator(
        ImageShape shape, int outputs, bool batchNorm, bool spectralNormalization, torch.Generator initRandom)
        : base(nameof(DcganDiscriminator))
    {
        var layout = DcganLayout.For(shape);
        var blocks = new List<(string, nn.Module<Tensor, Tensor>)>();
        int inChannels = shape.Channels;
        for (int n = 1; n <= layout.Depth; n++)
        {
            // Map level Depth − n on the generator side: the same channel count, mirrored.
            int outChannels = layout.HiddenChannels(layout.Depth - n);

            // [N, in, H/2^(n−1), W/2^(n−1)] → [N, out, H/2^n, W/2^n]
            blocks.Add(($"conv{n}", spectralNormalization
                ? new SpectralNormConv2d(inChannels, outChannels, Kernel, Stride, Padding, initRandom)
                : nn.Conv2d(inChannels, outChannels, Kernel, Stride, Padding)));
            if (batchNorm && n > 1)
            {
                blocks.Add(($"bn{n}", nn.BatchNorm2d(outChannels)));
            }

            blocks.Add(($"lrelu{n}", new LeakyReLU(LeakySlope)));
            inChannels = outChannels;
        }

        blocks.Add(("flatten", nn.Flatten()));                 // [N, ch·h0·w0]
        features = nn.Sequential(blocks);

        long flattened = (long)inChannels * layout.StartHeight * layout.StartWidth;
        head = MlpDiscriminator.Dense(flattened, outputs, spectralNormalization, initRandom); // [N, outputs]

        // Explicit order (reflection's field order is not guaranteed): it fixes the order of initialisation draws,
        // of parameters() for the optimiser, and of the saved entries.
        register_module(nameof(features), features);
        register_module(nameof(head), head);
        RegisterComponents();
    }

    /// <summary>The output of each convolutional block (after its LeakyReLU): [N, channels, H/2^n, W/2^n] for n = 1 … Depth.</summary>
    public IReadOnlyList<Tensor> LayerActivations(Tensor images)
    {
        var activations = new List<Tensor>();
        Tensor x = images;
        foreach ((string name, nn.Module block) in features.named_children())
        {
            if (name == "flatten")
            {
                break;
            }
            x = ((nn.Module<Tensor, Tensor>)block).call(x);
            if (name.StartsWith("lrelu", System.StringComparison.Ordinal))
            {
                activations.Add(x);
            }
        }
        return activations;
    }

    public override Tensor forward(Tensor images)
    {
        using var flat = features.forward(images);               // [N, ch·h0·w0]
        return head.forward(flat);                              // [N, outputs]
    }
}
