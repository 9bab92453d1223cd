using System;
using Microsoft.ML.Gan.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Evaluation;

/// <summary>
/// Any image → vector module as a feature extractor (for example an O-GAN encoder): [N, C, H, W] in [−1, 1] → [N, D].
/// Images must have the module's shape. The feature length is learned from a probe batch.
/// </summary>
internal sealed class ModuleFeatureExtractor : FeatureExtractor
{
    private readonly nn.Module<Tensor, Tensor> _module;
    private readonly Device _device;
    private readonly bool _ownsModule;
    private readonly object _sync = new();

    /// <param name="module">The module; put in eval mode here.</param>
    /// <param name="shape">The image shape the module reads.</param>
    /// <param name="device">Where the module's weights are.</param>
    /// <param name="ownsModule">Whether disposing the extractor disposes the module.</param>
    public ModuleFeatureExtractor(nn.Module<Tensor, Tensor> module, ImageShape shape, Device device, bool ownsModule)
        : base(shape.Channels, shape.Height, shape.Width, resizesInput: false)
    {
        _module = module;
        _device = device;
        _ownsModule = ownsModule;
        _module.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor probe = _module.call(zeros(shape.AsBatchShape(2), device: device));
        if (probe.dim() != 2 || probe.shape[0] != 2)
        {
            throw new ArgumentException($"The module returns a tensor of shape [{string.Join(", ", probe.shape)}] for 2 images; a feature extractor returns [N, D].", nameof(module));
        }

        FeatureDimension = checked((int)probe.shape[1]);
    }

    public override int FeatureDimension { get; }

    public override int ClassCount => 0;

    private protected override (Tensor Features, Tensor? Logits) Forward(Tensor batch)
    {
        lock (_sync)
        {
            return (_module.call(batch.to(_device)), null);
        }
    }

    private protected override void Dispose(bool disposing)
    {
        if (disposing && _ownsModule)
        {
            _module.Dispose();
        }
    }
}
