using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Training;

/// <summary>
/// What one family of GANs (plain, O-GAN, conditional) contributes to <see cref="GanTrainingLoop"/>: its two networks
/// and the losses of a discriminator update and of a generator update. The loop owns everything else — batching,
/// optimisers, the update schedule, NaN checks, cancellation, logging — so every family gets them alike.
/// </summary>
/// <remarks>
/// The loop calls both loss methods inside a dispose scope and runs backward on the result; a game therefore builds
/// its graph freely and keeps no tensor across calls. It does not own the networks.
/// </remarks>
internal abstract class AdversarialGame
{
    /// <summary>The network that <see cref="GeneratorLoss"/> trains.</summary>
    public abstract nn.Module Generator { get; }

    /// <summary>The network that <see cref="DiscriminatorLoss"/> trains; weight clipping applies to it.</summary>
    public abstract nn.Module Discriminator { get; }

    /// <summary>The loss the discriminator minimises on one batch of real data, with the scores the history reports.</summary>
    /// <param name="batch">Real images (and labels, for a conditional game) on the training device.</param>
    /// <param name="noise">Draws latent vectors and any other randomness of the step.</param>
    public abstract DiscriminatorOutcome DiscriminatorLoss(TrainingBatch batch, Generator noise);

    /// <summary>The loss the generator minimises; only the generator's optimiser steps on it.</summary>
    /// <param name="batch">The batch of the discriminator update just made: its size (and labels, to condition on).</param>
    /// <param name="noise">Draws latent vectors.</param>
    public abstract Tensor GeneratorLoss(TrainingBatch batch, Generator noise);

    /// <summary>Images [N, C, H, W] from the generator for latents [N, LatentDimension]; a conditional game cycles through its classes.</summary>
    public abstract Tensor Sample(Tensor latents);

    /// <summary>A [<paramref name="count"/>, <paramref name="dimension"/>] batch of latents z ~ N(0, I) on <paramref name="device"/>.</summary>
    protected static Tensor SampleLatent(long count, int dimension, Generator noise, Device device) =>
        randn(new[] { count, (long)dimension }, generator: noise, device: device);
}
