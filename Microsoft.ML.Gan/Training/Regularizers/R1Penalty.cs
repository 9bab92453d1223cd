using System;
using Microsoft.ML.Gan.Torch;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Training;

/// <summary>
/// The R1 penalty (Mescheder et al. 2018): γ/2 · E[‖∇ₓ D(x)‖²] over the real images, in D's loss. It keeps the critic
/// flat on the data, which makes the game converge locally for any loss, and stops a critic from sharpening around a
/// small training set. Lazy (StyleGAN2, Karras et al. 2020): applied every <c>interval</c> discriminator updates and
/// scaled by the interval, which keeps its average strength for 1/interval of its cost.
/// </summary>
/// <remarks>For a conditional critic it constrains x ↦ D(x, y) for each sample's own y.</remarks>
internal sealed class R1Penalty : Regularizer
{
    private readonly double _weight;
    private readonly int _interval;

    /// <param name="weight">γ.</param>
    /// <param name="interval">Discriminator updates per application (1: every update).</param>
    public R1Penalty(double weight, int interval)
    {
        if (interval < 1) throw new ArgumentOutOfRangeException(nameof(interval), interval, "The interval must be at least 1.");
        _weight = weight;
        _interval = interval;
    }

    public override string Id => "r1";

    /// <summary>γ/2 · interval · the penalty on the updates the interval picks (update 0, N, 2N, ...); none on the others.</summary>
    public override Tensor? DiscriminatorTerm(DiscriminatorPass pass) =>
        pass.Update % _interval == 0 ? Compute(pass.Critic, pass.Reals).Times(_weight / 2 * _interval) : null;

    /// <summary>
    /// E[‖∇ₓ D(x)‖²] over <paramref name="real"/>, unweighted; differentiable with respect to the critic's parameters
    /// (double backprop). <paramref name="real"/> receives no gradient.
    /// </summary>
    /// <param name="critic">D: [N, C, H, W] → [N] (or [N, k], summed).</param>
    /// <param name="real">A batch of real images.</param>
    public static Tensor Compute(Func<Tensor, Tensor> critic, Tensor real)
    {
        if (critic is null) throw new ArgumentNullException(nameof(critic));
        if (real is null) throw new ArgumentNullException(nameof(real));
        using var flat = CriticInputGradient.Compute(critic, real, "R1 penalty");
        using var squared = flat.square();
        using var perSample = squared.sum(1);
        return perSample.mean();
    }
}
