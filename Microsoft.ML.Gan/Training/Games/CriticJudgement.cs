using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Training;

/// <summary>
/// What a game's critic said about a batch of images: the realness scores [N] every loss reads, and what some critics
/// add for their regularizers — an auxiliary classifier's logits [N, K] (ACGAN) or an encoder's codes [N, d] (O-GAN).
/// </summary>
internal readonly record struct CriticJudgement(Tensor Scores, Tensor? ClassLogits = null, Tensor? Codes = null);
