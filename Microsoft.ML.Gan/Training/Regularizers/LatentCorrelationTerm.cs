using System;
using Microsoft.ML.Gan.Torch;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Training;

/// <summary>
/// O-GAN's second objective (Su 2019): both players maximise λ·mean ρ(z, E(G(z))), the Pearson correlation between a
/// latent vector and the critic's encoding of its image (<see cref="LatentCorrelation"/>), so each loss subtracts it.
/// The critic's update moves E towards inverting G; the generator's moves G towards images E can invert.
/// </summary>
internal sealed class LatentCorrelationTerm : Regularizer
{
    private readonly double _discriminatorWeight;
    private readonly double _generatorWeight;

    /// <param name="discriminatorWeight">λ in the critic's update (the O-GAN option <c>CorrelationWeight</c>), ≥ 0.</param>
    /// <param name="generatorWeight">λ in the generator's update (<c>GeneratorCorrelationWeight</c>, or the same λ), ≥ 0.</param>
    public LatentCorrelationTerm(double discriminatorWeight, double generatorWeight)
    {
        _discriminatorWeight = discriminatorWeight;
        _generatorWeight = generatorWeight;
    }

    public override string Id => "latent-correlation";

    public override Tensor? DiscriminatorTerm(DiscriminatorPass pass) => Term(pass.Latents, pass.Fake, _discriminatorWeight);

    public override Tensor? GeneratorTerm(GeneratorPass pass) => Term(pass.Latents, pass.Fake, _generatorWeight);

    private static Tensor? Term(Tensor latents, CriticJudgement fake, double weight)
    {
        if (weight == 0)
        {
            return null;
        }
        Tensor codes = fake.Codes ?? throw new InvalidOperationException("The latent correlation needs a critic that encodes (O-GAN's).");
        return LatentCorrelation.Pearson(latents, codes).mean().Times(-weight);
    }
}
