using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Training;

/// <summary>A discriminator update's loss (with its graph) and the detached, scalar mean scores the history reports as D(x) and D(G(z)).</summary>
internal readonly record struct DiscriminatorOutcome(Tensor Loss, Tensor RealScore, Tensor FakeScore);
