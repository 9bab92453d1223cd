using System.Collections.Generic;
using Microsoft.ML.Gan.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Networks;

/// <summary>
/// An inference-only copy of a trained <see cref="DcganGenerator"/> in eval mode, with every batch norm folded into
/// the layer before it: BN(Wx + b) = (s·W)x + s·(b − mean) + β with s = γ / √(var + ε), per output channel. It draws
/// the same images (up to float rounding, about 1e-6) with one pass over each activation instead of three, which
/// measured about 1.3× the images per second of the unfolded network on 2 cores (benchmarks, <c>--only generation</c>).
/// </summary>
/// <remarks>
/// Never trained and never saved: it holds plain buffers, not parameters, and the trained generator stays the one that
/// is saved. Built from the running statistics at construction; later changes to the source network are not seen.
/// </remarks>
internal sealed class FoldedDcganGenerator : nn.Module<Tensor, Tensor>
{
    private const long Stride = 2;
    private const long Padding = 1;

    private readonly long[] _startShape;
    private readonly Tensor _projectWeight;
    private readonly Tensor _projectBias;
    private readonly (Tensor Weight, Tensor Bias)[] _upsample;

    /// <param name="fc">The first layer: latent → start map.</param>
    /// <param name="fcNorm">The batch norm after it.</param>
    /// <param name="startShape">The start map's [channels, height, width].</param>
    /// <param name="upsample">Each transposed convolution, with the batch norm after it (null for the last one, which feeds tanh).</param>
    public FoldedDcganGenerator(Linear fc, BatchNorm1d fcNorm, long[] startShape, IReadOnlyList<(ConvTranspose2d Conv, BatchNorm2d? Norm)> upsample)
        : base(nameof(FoldedDcganGenerator))
    {
        _startShape = startShape;
        using (no_grad())
        {
            (_projectWeight, _projectBias) = Fold(fc.weight!, fc.bias!, fcNorm, outputDimension: 0);
            register_buffer("project_weight", _projectWeight);
            register_buffer("project_bias", _projectBias);
            _upsample = new (Tensor, Tensor)[upsample.Count];
            for (int i = 0; i < upsample.Count; i++)
            {
                (ConvTranspose2d conv, BatchNorm2d? norm) = upsample[i];
                // A transposed convolution's weight is [in, out, kh, kw]: output channels are dimension 1.
                _upsample[i] = norm is null
                    ? (conv.weight!.clone(), conv.bias!.clone())
                    : Fold(conv.weight!, conv.bias!, norm, outputDimension: 1);
                register_buffer($"upsample{i}_weight", _upsample[i].Weight);
                register_buffer($"upsample{i}_bias", _upsample[i].Bias);
            }
        }
    }

    public override Tensor forward(Tensor latent)
    {
        using var scope = NewDisposeScope();
        Tensor map = nn.functional.linear(latent, _projectWeight, _projectBias).relu_()
            .view(latent.shape[0], _startShape[0], _startShape[1], _startShape[2]);
        for (int i = 0; i < _upsample.Length; i++)
        {
            map = nn.functional.conv_transpose2d(map, _upsample[i].Weight, _upsample[i].Bias, new[] { Stride, Stride }, new[] { Padding, Padding });
            map = i < _upsample.Length - 1 ? map.relu_() : map.tanh_();
        }
        return map.MoveToOuterDisposeScope();
    }

    private static (Tensor Weight, Tensor Bias) Fold(Tensor weight, Tensor bias, BatchNorm norm, int outputDimension)
    {
        using var variance = norm.running_var!.Plus(norm.eps);
        using var deviation = variance.sqrt();
        using var scale = norm.weight! / deviation;   // [out]
        var shape = new long[weight.dim()];
        System.Array.Fill(shape, 1L);
        shape[outputDimension] = -1;
        using var broadcastScale = scale.view(shape);
        Tensor foldedWeight = weight * broadcastScale;
        using var centred = bias - norm.running_mean!;
        using var scaled = centred * scale;
        Tensor foldedBias = scaled.Plus(norm.bias!);
        return (foldedWeight, foldedBias);
    }
}
