using System;
using Microsoft.ML.Gan.Torch;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Training;

/// <summary>
/// ADA's controller (Karras et al. 2020): the probability p with which each transform of a
/// <see cref="DifferentiableAugmentation"/> is applied to each image. It starts at 0, so augmentation costs nothing
/// while the discriminator does not overfit, and after every discriminator update moves by batch / adjustment images:
/// up while the overfitting heuristic r = E[sign(D(x) − threshold)] on the real batch exceeds the target, down while it
/// falls short, within [0, 1].
/// </summary>
/// <remarks>
/// p stays on the training device and is updated there, so the controller adds no device-to-host copy to a step; only a
/// log point or a checkpoint reads it. Built outside every dispose scope, like the networks it serves.
/// </remarks>
internal sealed class AdaptiveAugmentationStrength : IDisposable
{
    private readonly Tensor _probability;
    private readonly double _target;
    private readonly double _threshold;
    private readonly double _adjustmentImages;

    /// <param name="target">The r that p is steered to hold (ADA: 0.6).</param>
    /// <param name="threshold">The score that separates "real" from "fake" in the loss's own terms: 0 for a logit, 0.5 for LSGAN's targets.</param>
    /// <param name="adjustmentImages">Real images over which p can move from 0 to 1 (ADA: 500,000).</param>
    /// <param name="device">The training device.</param>
    public AdaptiveAugmentationStrength(double target, double threshold, int adjustmentImages, Device device)
    {
        _target = target;
        _threshold = threshold;
        _adjustmentImages = adjustmentImages;
        _probability = zeros(1, device: device);
    }

    /// <summary>p as a one-element tensor on the training device; the same tensor for the whole run.</summary>
    public Tensor Probability => _probability;

    /// <summary>p read back to the host, for the log and checkpoints.</summary>
    public double Value
    {
        get
        {
            using (NewDisposeScope())
            {
                return _probability.cpu().item<float>();
            }
        }
    }

    /// <summary>Moves p by one update's step from the discriminator's raw scores on the real batch it just judged.</summary>
    public void Observe(Tensor realScores)
    {
        using (NewDisposeScope())
        using (no_grad())
        {
            Tensor overfitting = realScores.detach().Minus(_threshold).sign().mean();
            Tensor direction = overfitting.Minus(_target).sign();
            _probability.AddInPlace(direction.Times(realScores.shape[0] / _adjustmentImages));
            _probability.ClampInPlace(0, 1);
        }
    }

    /// <summary>Sets p, as a checkpoint recorded it.</summary>
    public void Restore(double probability) => _probability.FillInPlace(probability);

    public void Dispose() => _probability.Dispose();
}
