using System.Collections.Generic;
using Microsoft.ML.Gan.Data;
using Microsoft.ML.Gan.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Networks;

/// <summary>
/// SNGAN/BigGAN-style residual generator sized by <see cref="ResNetLayout"/>: z [N, latent] → [N, C, H, W] in [−1, 1].
/// </summary>
/// <remarks>
/// For 1×28×28 (two blocks from 7×7): Linear 100→48·7·7, reshape [N, 48, 7, 7]; block 48→24 [N, 24, 14, 14];
/// block 24→12 [N, 12, 28, 28]; BatchNorm2d, ReLU, Conv 3×3 12→1, Tanh. Blocks: <see cref="ResNetGeneratorBlock"/>.
/// </remarks>
internal sealed class ResNetGenerator : nn.Module<Tensor, Tensor>
{
    private readonly long[] startShape;

    // Field names = key prefixes of the saved weights ("project.weight", "blocks.block1.residual.conv1.weight", ...).
    private readonly Linear project;
    private readonly Sequential blocks;
    private readonly Sequential output;

    public ResNetGenerator(int latentDimension, ImageShape shape)
        : base(nameof(ResNetGenerator))
    {
        var layout = ResNetLayout.For(shape);
        int startChannels = layout.Channels(0);
        startShape = new long[] { startChannels, layout.StartHeight, layout.StartWidth };
        project = nn.Linear(latentDimension, (long)startChannels * layout.StartHeight * layout.StartWidth); // [N, ch0·h0·w0]

        var upsampling = new List<(string, nn.Module<Tensor, Tensor>)>();
        for (int level = 1; level <= layout.Depth; level++)
        {
            // [N, ch(level−1), h0·2^(level−1), w0·2^(level−1)] → [N, ch(level), h0·2^level, w0·2^level]
            upsampling.Add(($"block{level}", new ResNetGeneratorBlock(layout.Channels(level - 1), layout.Channels(level))));
        }
        blocks = nn.Sequential(upsampling);

        int last = layout.Channels(layout.Depth);
        output = nn.Sequential(
            ("bn", nn.BatchNorm2d(last)),
            ("relu", nn.ReLU()),
            ("conv", nn.Conv2d(last, shape.Channels, 3, padding: 1)),            // [N, C, H, W]
            ("tanh", nn.Tanh()));                                                 // in [−1, 1]

        // Explicit order (reflection's field order is not guaranteed): it fixes the order of initialisation draws,
        // of parameters() for the optimiser, and of the saved entries.
        register_module(nameof(project), project);
        register_module(nameof(blocks), blocks);
        register_module(nameof(output), output);
        RegisterComponents();
    }

    // Through OneDnnConvolutions: oneDNN's kernels for these 3×3 layers return NaN on some CPUs.
    public override Tensor forward(Tensor latent) => OneDnnConvolutions.Forward(latent, training, () => Generate(latent));

    private Tensor Generate(Tensor latent)
    {
        using var projected = project.call(latent);                                                         // [N, ch0·h0·w0]
        using var map = projected.reshape(latent.shape[0], startShape[0], startShape[1], startShape[2]);   // [N, ch0, h0, w0]
        using var features = blocks.call(map);                                                              // [N, ch, H, W]
        return output.call(features);                                                                       // [N, C, H, W]
    }
}
