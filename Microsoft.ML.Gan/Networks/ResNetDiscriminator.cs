using System.Collections.Generic;
using Microsoft.ML.Gan.Data;
using Microsoft.ML.Gan.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Networks;

/// <summary>
/// SNGAN/BigGAN-style residual discriminator mirroring <see cref="ResNetGenerator"/>: [N, C, H, W] → [N, outputs] raw
/// scores (no Sigmoid).
/// </summary>
/// <remarks>
/// For 1×28×28: block 1→24 [N, 24, 14, 14] (the optimized first block); block 24→48 [N, 48, 7, 7]; ReLU; sum over the
/// map [N, 48]; Linear → [N, outputs]. No batch normalization; every convolution and the Linear are spectrally
/// normalised when asked (the trainers always ask for ResNet). Blocks: <see cref="ResNetDiscriminatorBlock"/>.
/// </remarks>
internal sealed class ResNetDiscriminator : nn.Module<Tensor, Tensor>, ILayerActivations
{
    private static readonly long[] SpatialDimensions = { 2, 3 };

    // Field names = key prefixes of the saved weights ("blocks.block1.residual.conv1.weight", "head.weight", ...).
    private readonly Sequential blocks;
    private readonly nn.Module<Tensor, Tensor> head;

    public ResNetDiscriminator(ImageShape shape, int outputs, bool spectralNormalization, torch.Generator initRandom)
        : base(nameof(ResNetDiscriminator))
    {
        var layout = ResNetLayout.For(shape);
        var downsampling = new List<(string, nn.Module<Tensor, Tensor>)>();
        int inChannels = shape.Channels;
        for (int n = 1; n <= layout.Depth; n++)
        {
            // Map level Depth − n on the generator side: the same channel count, mirrored.
            int outChannels = layout.Channels(layout.Depth - n);

            // [N, in, H/2^(n−1), W/2^(n−1)] → [N, out, H/2^n, W/2^n]
            downsampling.Add(($"block{n}", new ResNetDiscriminatorBlock(inChannels, outChannels, readsImage: n == 1, spectralNormalization, initRandom)));
            inChannels = outChannels;
        }
        blocks = nn.Sequential(downsampling);
        head = MlpDiscriminator.Dense(inChannels, outputs, spectralNormalization, initRandom); // [N, outputs]

        // Explicit order (reflection's field order is not guaranteed): it fixes the order of initialisation draws,
        // of parameters() for the optimiser, and of the saved entries.
        register_module(nameof(blocks), blocks);
        register_module(nameof(head), head);
        RegisterComponents();
    }

    // Through OneDnnConvolutions: oneDNN's kernels for these 3×3 layers return NaN on some CPUs.
    public override Tensor forward(Tensor images) => OneDnnConvolutions.Forward(images, training, () => Score(images));

    private Tensor Score(Tensor images)
    {
        using var features = blocks.call(images);                  // [N, ch0, h0, w0]
        using var activated = nn.functional.relu(features);
        using var pooled = activated.sum(SpatialDimensions);        // [N, ch0]
        return head.call(pooled);                                   // [N, outputs]
    }

    /// <summary>Each residual block's output after the ReLU the next block (or the head) applies to it, input side first.</summary>
    public IReadOnlyList<Tensor> LayerActivations(Tensor images)
    {
        if (!training && OneDnnConvolutions.Undecided)
        {
            using Tensor settling = forward(images); // its comparison decides whether oneDNN computes these layers right here
        }
        using var kernels = OneDnnConvolutions.Scope();
        var activations = new List<Tensor>();
        Tensor x = images;
        foreach ((string _, nn.Module block) in blocks.named_children())
        {
            x = ((nn.Module<Tensor, Tensor>)block).call(x);
            activations.Add(nn.functional.relu(x));
        }
        return activations;
    }
}
