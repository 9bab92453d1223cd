using System;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Training;

/// <summary>
/// ∇ₓ D(x) per sample, with the graph kept for double backprop: what penalties on the critic's input gradient
/// (<see cref="GradientPenalty"/>, <see cref="R1Penalty"/>) are built from.
/// </summary>
internal static class CriticInputGradient
{
    /// <summary>
    /// The gradient of the critic's summed output with respect to each sample of <paramref name="points"/>, flattened to
    /// [N, C·H·W] and differentiable with respect to the critic's parameters. <paramref name="points"/> receives no gradient.
    /// </summary>
    /// <param name="critic">D: [N, C, H, W] → [N, k] or [N]; with k &gt; 1 the outputs are summed before differentiating.</param>
    /// <param name="points">The images to differentiate at.</param>
    /// <param name="penalty">The penalty's name, for the errors.</param>
    public static Tensor Compute(Func<Tensor, Tensor> critic, Tensor points, string penalty)
    {
        // An error inside autograd.grad aborts the process instead of throwing: rule out the known causes first.
        if (!is_grad_enabled())
        {
            throw new InvalidOperationException($"The {penalty} needs autograd; it was called under no_grad.");
        }
        long batch = points.shape[0];
        using var data = points.detach();
        using var inputs = data.requires_grad_(true);
        using var scores = critic(inputs);
        if (!scores.requires_grad)
        {
            throw new InvalidOperationException("The critic's output does not depend on its input through autograd.");
        }

        // Σ over the batch (and outputs): sample i's gradient only depends on its own score, except through
        // BatchNorm, which is why critics with an input-gradient penalty leave BatchNorm out.
        using var total = scores.sum();
        using var gradients = autograd.grad(new[] { total }, new[] { inputs }, retain_graph: true, create_graph: true)[0];
        return gradients.reshape(batch, -1);
    }
}
