using System;
using System.Collections.Generic;
using Microsoft.ML.Gan.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Training;

/// <summary>
/// One family of GANs (plain, conditional, O-GAN) as <see cref="GanTrainingLoop"/> plays it: the losses of a
/// discriminator update and of a generator update. Both updates are written once, here: draw z, generate, let the
/// critic judge, apply the <see cref="AdversarialLoss"/> and every <see cref="Regularizer"/>. A family only says how
/// its networks are called (<see cref="Generate"/>, <see cref="Judge"/>). With a <see cref="DifferentiableAugmentation"/>,
/// every image the critic judges — real or fake, in either update — is augmented first, each batch with its own draw. The loop owns everything else — batching,
/// optimisers, the update schedule, NaN checks, cancellation, logging — so every family gets them alike.
/// </summary>
/// <remarks>
/// The loop calls both loss methods inside a dispose scope and runs backward on the result; a game therefore builds
/// its graph freely and keeps no tensor across calls. It does not own the networks.
/// </remarks>
internal abstract class AdversarialGame
{
    private readonly AdversarialLoss _loss;
    private readonly int _latentDimension;
    private readonly DifferentiableAugmentation? _augmentation;

    /// <param name="loss">The score terms of both players' losses.</param>
    /// <param name="regularizers">The terms added to them, in this order.</param>
    /// <param name="latentDimension">The size of z.</param>
    /// <param name="augmentation">Applied to every batch the critic judges; null judges the images as they are.</param>
    protected AdversarialGame(AdversarialLoss loss, IReadOnlyList<Regularizer> regularizers, int latentDimension,
        DifferentiableAugmentation? augmentation)
    {
        _loss = loss ?? throw new ArgumentNullException(nameof(loss));
        Regularizers = regularizers ?? throw new ArgumentNullException(nameof(regularizers));
        _latentDimension = latentDimension;
        _augmentation = augmentation;
    }

    /// <summary>
    /// The game's name in checkpoints: a resume must play the same game. Checkpoints record it, so it never changes
    /// with a class name (today's values are the class names of the version that introduced checkpoints).
    /// </summary>
    public abstract string Id { get; }

    /// <summary>The network that <see cref="GeneratorLoss"/> trains.</summary>
    public abstract nn.Module Generator { get; }

    /// <summary>The network that <see cref="DiscriminatorLoss"/> trains; weight clipping applies to it.</summary>
    public abstract nn.Module Discriminator { get; }

    /// <summary>The terms added to the losses, in the order they are added.</summary>
    public IReadOnlyList<Regularizer> Regularizers { get; }

    /// <summary>ADA's controller when the augmentation adapts its strength, or null; the run's checkpoints hold its p.</summary>
    public AdaptiveAugmentationStrength? AugmentationStrength => _augmentation?.Strength;

    /// <summary>The loss the discriminator minimises on one batch of real data, with the scores the history reports.</summary>
    /// <param name="batch">Real images (and labels, for a conditional game) on the training device.</param>
    /// <param name="noise">Draws latent vectors and any other randomness of the step.</param>
    /// <param name="update">The discriminator updates done before this one in the run, for regularizers applied every N updates.</param>
    public DiscriminatorOutcome DiscriminatorLoss(TrainingBatch batch, Generator noise, int update)
    {
        Tensor latents = SampleLatent(batch, noise);
        // Fakes are generated without tracking G's graph: D's update must not reach G.
        Tensor fakes;
        using (no_grad())
        {
            fakes = Generate(latents, batch.Labels);
        }
        // The pass hands the regularizers the images as judged, so input-gradient penalties (R1, WGAN-GP) constrain D
        // where it is trained: on augmented images, as StyleGAN2-ADA applies R1 to augmented reals. The critic function
        // does not augment, so the penalty is D's gradient, not the augmentation's.
        Tensor reals = Augment(batch.Images, noise);
        Tensor judgedFakes = Augment(fakes, noise);
        CriticJudgement real = Judge(reals, batch.Labels);
        CriticJudgement fake = Judge(judgedFakes, batch.Labels);
        Tensor loss = _loss.DiscriminatorLoss(real.Scores, fake.Scores);
        // ADA reads D's verdict on the images it was trained on; the new p applies from the next batch on.
        AugmentationStrength?.Observe(real.Scores);
        var pass = new DiscriminatorPass(batch, latents, reals, judgedFakes, real, fake, images => Judge(images, batch.Labels).Scores, noise, update);
        foreach (Regularizer regularizer in Regularizers)
        {
            if (regularizer.DiscriminatorTerm(pass) is Tensor term)
            {
                loss = loss.Plus(term);
            }
        }
        return new DiscriminatorOutcome(loss, _loss.ReportedScore(real.Scores), _loss.ReportedScore(fake.Scores));
    }

    /// <summary>The loss the generator minimises; only the generator's optimiser steps on it.</summary>
    /// <param name="batch">The batch of the discriminator update just made: its size (and labels, to condition on).</param>
    /// <param name="noise">Draws latent vectors.</param>
    public Tensor GeneratorLoss(TrainingBatch batch, Generator noise)
    {
        Tensor latents = SampleLatent(batch, noise);
        // Augmented with their graph, so G learns through the same transforms D sees.
        Tensor fakes = Augment(Generate(latents, batch.Labels), noise);
        // The graph carries gradients through the critic's activations to G but none to the critic's weights: this
        // update must not move the critic, and it skips the cost of the critic's weight gradients.
        using var frozen = FrozenParameters.Of(Discriminator);
        CriticJudgement fake = Judge(fakes, batch.Labels);
        Tensor loss = _loss.GeneratorLoss(fake.Scores);
        var pass = new GeneratorPass(batch, latents, fakes, fake);
        foreach (Regularizer regularizer in Regularizers)
        {
            if (regularizer.GeneratorTerm(pass) is Tensor term)
            {
                loss = loss.Plus(term);
            }
        }
        return loss;
    }

    /// <summary>Images [N, C, H, W] from the generator for latents [N, LatentDimension]; a conditional game cycles through its classes.</summary>
    public Tensor Sample(Tensor latents) => Generate(latents, PreviewLabels(latents));

    /// <summary>The critic's scores [N] of <see cref="Sample"/>'s images, with the graph through both networks.</summary>
    public Tensor ScoreSamples(Tensor latents)
    {
        Tensor? labels = PreviewLabels(latents);
        return Judge(Generate(latents, labels), labels).Scores;
    }

    /// <summary>The classes <see cref="Sample"/> draws for <paramref name="latents"/>: null for an unconditional game.</summary>
    protected virtual Tensor? PreviewLabels(Tensor latents) => null;

    /// <summary>G(z), or G(z, y) for a conditional game.</summary>
    /// <param name="latents">z, [N, LatentDimension].</param>
    /// <param name="labels">Class indices [N] for a conditional game; null otherwise.</param>
    protected abstract Tensor Generate(Tensor latents, Tensor? labels);

    /// <summary>The critic's judgement of <paramref name="images"/> (of classes <paramref name="labels"/>, for a conditional game).</summary>
    protected abstract CriticJudgement Judge(Tensor images, Tensor? labels);

    private Tensor Augment(Tensor images, Generator noise) => _augmentation?.Apply(images, noise) ?? images;

    private Tensor SampleLatent(TrainingBatch batch, Generator noise) =>
        randn(new[] { batch.Size, (long)_latentDimension }, generator: noise, device: batch.Images.device);
}
