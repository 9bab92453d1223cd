using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Training;

/// <summary>Everything a generator update computed, for <see cref="Regularizer"/>s to build their terms from.</summary>
/// <param name="Batch">The batch of the discriminator update just made: its size, and the labels to condition on.</param>
/// <param name="Latents">The latents z the fakes were generated from.</param>
/// <param name="Fakes">G(z) as the critic judged them (augmented when the game augments), with their graph: gradients flow through them to G.</param>
/// <param name="Fake">The critic's judgement of the fakes, with the critic's weights kept out of the graph.</param>
internal sealed record GeneratorPass(TrainingBatch Batch, Tensor Latents, Tensor Fakes, CriticJudgement Fake);
