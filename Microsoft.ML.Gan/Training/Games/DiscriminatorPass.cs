using System;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Training;

/// <summary>Everything a discriminator update computed on one batch, for <see cref="Regularizer"/>s to build their terms from.</summary>
/// <param name="Batch">The real images (and labels) of the update, as read.</param>
/// <param name="Latents">The latents z the fakes were generated from.</param>
/// <param name="Reals">The real images as the critic judged them: the batch's, augmented when the game augments.</param>
/// <param name="Fakes">G(z) as the critic judged them (augmented when the game augments), generated without a graph to G.</param>
/// <param name="Real">The critic's judgement of <paramref name="Reals"/>.</param>
/// <param name="Fake">The critic's judgement of <paramref name="Fakes"/>.</param>
/// <param name="Critic">x ↦ D(x) as the loss sees it (a conditional critic with this batch's labels bound), for penalties on D's input gradient.</param>
/// <param name="Noise">Draws any further randomness of the update (the gradient penalty's interpolation weights).</param>
/// <param name="Update">The discriminator updates done before this one in the run (from 0), for terms applied every N updates.</param>
internal sealed record DiscriminatorPass(TrainingBatch Batch, Tensor Latents, Tensor Reals, Tensor Fakes, CriticJudgement Real, CriticJudgement Fake,
    Func<Tensor, Tensor> Critic, Generator Noise, int Update);
