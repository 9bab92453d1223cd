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
    private readonly double _weight;

    /// <param name="weight">λ (the O-GAN option <c>CorrelationWeight</c>), greater than 0.</param>
    public LatentCorrelationTerm(double weight) => _weight = weight;

    public override string Id => "latent-correlation";

    public override Tensor DiscriminatorTerm(DiscriminatorPass pass) => Term(pass.Latents, pass.Fake);

    public override Tensor GeneratorTerm(GeneratorPass pass) => Term(pass.Latents, pass.Fake);

    private Tensor Term(Tensor latents, CriticJudgement fake)
    {
        Tensor codes = fake.Codes ?? throw new InvalidOperationException("The latent correlation needs a critic that encodes (O-GAN's).");
        return LatentCorrelation.Pearson(latents, codes).mean().Times(-_weight);
    }
}
