using System;
using System.Linq;
using Microsoft.ML.Gan.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Training;

/// <summary>
/// The WGAN-GP penalty (Gulrajani et al. 2017): mean over the batch of (‖∇ₓ̂ D(x̂)‖₂ − 1)², at random interpolates
/// x̂ = ε·real + (1 − ε)·fake, ε ~ U(0, 1) per sample, weighted by λ (10 in the paper) in D's loss. Used with
/// <see cref="GanLoss.WassersteinGradientPenalty"/>; for a conditional critic it constrains x ↦ D(x, y) for each sample's own y.
/// </summary>
internal sealed class GradientPenalty : Regularizer
{
    private readonly double _weight;

    /// <param name="weight">λ.</param>
    public GradientPenalty(double weight) => _weight = weight;

    public override string Id => "gradient-penalty";

    public override Tensor DiscriminatorTerm(DiscriminatorPass pass) =>
        Compute(pass.Critic, pass.Reals, pass.Fakes, pass.Noise).Times(_weight);

    /// <summary>
    /// Computes the penalty for <paramref name="critic"/>; the result is differentiable with respect to the critic's
    /// parameters (double backprop). Neither <paramref name="real"/> nor <paramref name="fake"/> receives a gradient.
    /// </summary>
    /// <param name="critic">D: [N, C, H, W] → [N, k] or [N]; with k &gt; 1 the outputs are summed before differentiating.</param>
    /// <param name="real">A batch of real images.</param>
    /// <param name="fake">A batch of generated images of the same shape (detached here).</param>
    /// <param name="random">Draws ε. A CPU generator works for a critic on any device.</param>
    public static Tensor Compute(nn.Module<Tensor, Tensor> critic, Tensor real, Tensor fake, torch.Generator random)
    {
        if (critic is null) throw new ArgumentNullException(nameof(critic));
        return Compute(critic.forward, real, fake, random);
    }

    /// <summary>
    /// The same for a critic given as a function, such as a conditional critic with its batch's labels bound: the
    /// penalty then constrains x ↦ D(x, y) for each sample's own y.
    /// </summary>
    public static Tensor Compute(Func<Tensor, Tensor> critic, Tensor real, Tensor fake, torch.Generator random)
    {
        if (critic is null) throw new ArgumentNullException(nameof(critic));
        if (real is null) throw new ArgumentNullException(nameof(real));
        if (fake is null) throw new ArgumentNullException(nameof(fake));
        if (random is null) throw new ArgumentNullException(nameof(random));
        if (!real.shape.SequenceEqual(fake.shape))
        {
            throw new ArgumentException(
                $"Real and fake batches must have the same shape; got [{string.Join(", ", real.shape)}] and [{string.Join(", ", fake.shape)}].",
                nameof(fake));
        }

        long batch = real.shape[0];
        var epsilonShape = new long[real.dim()];
        Array.Fill(epsilonShape, 1L);
        epsilonShape[0] = batch;

        // Drawn on the generator's device and moved, so that a CPU generator serves a critic on CUDA.
        using var drawn = torch.rand(epsilonShape, real.dtype, random.device, generator: random);
        using var epsilon = drawn.to(real.device);
        using var realData = real.detach();
        using var fakeData = fake.detach();
        using var interpolates = fakeData.lerp(realData, epsilon);     // ε·real + (1 − ε)·fake
        using var flat = CriticInputGradient.Compute(critic, interpolates, "gradient penalty");
        using var norms = flat.norm(1); // ‖∇ₓ̂ D(x̂)‖₂ per sample
        using var excess = norms.Minus(1.0);
        using var squared = excess.square();
        return squared.mean();
    }
}
