using System.Collections.Generic;
using Microsoft.ML.Gan.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Training;

/// <summary>
/// O-GAN (Su 2019): the critic is D(x) = T(E(x)) with an encoder E, and its judgement carries the codes E(x), from
/// which <see cref="LatentCorrelationTerm"/> makes both players also maximise ρ(z, E(G(z))).
/// </summary>
/// <remarks>
/// Score convention: higher = real, as in every loss of this library. The official code's "lower = real" with the
/// opposite signs is the same game.
/// </remarks>
internal sealed class OGanGame : AdversarialGame
{
    private readonly nn.Module<Tensor, Tensor> _generator;
    private readonly OGanCritic _critic;

    public OGanGame(nn.Module<Tensor, Tensor> generator, OGanCritic critic, AdversarialLoss loss,
        IReadOnlyList<Regularizer> regularizers, int latentDimension, DifferentiableAugmentation? augmentation)
        : base(loss, regularizers, latentDimension, augmentation)
    {
        _generator = generator;
        _critic = critic;
    }

    public override string Id => "OGanGame";

    public override nn.Module Generator => _generator;

    public override nn.Module Discriminator => _critic;

    protected override Tensor Generate(Tensor latents, Tensor? labels) => _generator.call(latents);

    protected override CriticJudgement Judge(Tensor images, Tensor? labels)
    {
        Tensor codes = _critic.Encode(images);
        return new CriticJudgement(_critic.ScoreCodes(codes).view(-1), Codes: codes);
    }
}
