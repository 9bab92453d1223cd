using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Gan.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Networks;

/// <summary>
/// DCGAN generator (Radford et al. 2016) sized by <see cref="DcganLayout"/>: z [N, latent] → [N, C, H, W] in [−1, 1].
/// </summary>
/// <remarks>
/// For 1×28×28 (Depth 2, start 7×7): Linear 100→128·7·7, BatchNorm1d, ReLU, reshape [N, 128, 7, 7];
/// ConvTranspose2d 128→64 [N, 64, 14, 14], BatchNorm2d, ReLU; ConvTranspose2d 64→1 [N, 1, 28, 28], Tanh.
/// </remarks>
internal sealed class DcganGenerator : nn.Module<Tensor, Tensor>
{
    private const long Kernel = 4;
    private const long Stride = 2;
    private const long Padding = 1;

    private readonly long[] startShape;

    // Field names = key prefixes of the saved weights ("project.fc.weight", "upsample.convt1.weight", ...).
    private readonly Sequential project;
    private readonly Sequential upsample;

    public DcganGenerator(int latentDimension, ImageShape shape)
        : base(nameof(DcganGenerator))
    {
        var layout = DcganLayout.For(shape);
        int startChannels = layout.HiddenChannels(0);
        long startSize = (long)startChannels * layout.StartHeight * layout.StartWidth;
        startShape = new long[] { startChannels, layout.StartHeight, layout.StartWidth };

        project = nn.Sequential(
            ("fc", nn.Linear(latentDimension, startSize)),   // [N, latent] → [N, ch0·h0·w0]
            ("bn", nn.BatchNorm1d(startSize)),
            ("relu", nn.ReLU()));

        var blocks = new List<(string, nn.Module<Tensor, Tensor>)>();
        for (int level = 0; level < layout.Depth; level++)
        {
            int n = level + 1;
            bool last = n == layout.Depth;
            int inChannels = layout.HiddenChannels(level);
            int outChannels = last ? shape.Channels : layout.HiddenChannels(level + 1);

            // [N, ch(level), h·2^level, w·2^level] → [N, ch(level+1) or C, h·2^(level+1), w·2^(level+1)]
            blocks.Add(($"convt{n}", nn.ConvTranspose2d(inChannels, outChannels, Kernel, Stride, Padding)));
            if (!last)
            {
                blocks.Add(($"bn{n}", nn.BatchNorm2d(outChannels)));
                blocks.Add(($"relu{n}", nn.ReLU()));
            }
        }

        blocks.Add(("tanh", nn.Tanh()));                       // [N, C, H, W] in [−1, 1]
        upsample = nn.Sequential(blocks);

        // Explicit order (reflection's field order is not guaranteed): it fixes the order of initialisation draws,
        // of parameters() for the optimiser, and of the saved entries.
        register_module(nameof(project), project);
        register_module(nameof(upsample), upsample);
        RegisterComponents();
    }

    /// <summary>An inference-only copy of this network (in eval mode) with each batch norm folded into the layer before it.</summary>
    public FoldedDcganGenerator FoldBatchNorm()
    {
        var projectLayers = project.named_children().ToDictionary(child => child.name, child => child.module);
        var upsampleLayers = upsample.named_children().ToDictionary(child => child.name, child => child.module);
        var convolutions = new List<(ConvTranspose2d, BatchNorm2d?)>();
        for (int n = 1; upsampleLayers.TryGetValue($"convt{n}", out nn.Module? conv); n++)
        {
            convolutions.Add(((ConvTranspose2d)conv, upsampleLayers.GetValueOrDefault($"bn{n}") as BatchNorm2d));
        }
        return new FoldedDcganGenerator((Linear)projectLayers["fc"], (BatchNorm1d)projectLayers["bn"], startShape, convolutions);
    }

    public override Tensor forward(Tensor latent)
    {
        using var projected = project.forward(latent);                         // [N, ch0·h0·w0]
        using var map = projected.reshape(latent.shape[0], startShape[0], startShape[1], startShape[2]); // [N, ch0, h0, w0]
        return upsample.forward(map);                                           // [N, C, H, W]
    }
}
