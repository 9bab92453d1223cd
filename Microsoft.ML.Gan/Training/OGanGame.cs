using System.Collections.Generic;
using Microsoft.ML.Gan.Networks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Training;

/// <summary>
/// O-GAN (Su 2019): the critic is D(x) = T(E(x)) with an encoder E, and both players also maximise
/// ρ(z, E(G(z))) with weight λ. The critic's update reaches E (and T) only — G(z) is generated without a graph; the
/// generator's update reaches G through E(G(z)) while E's weights are kept out of the graph.
/// </summary>
/// <remarks>
/// Score convention: higher = real, as in every loss of this library. The official code's "lower = real" with the
/// opposite signs is the same game.
/// </remarks>
internal sealed class OGanGame : AdversarialGame
{
    private readonly nn.Module<Tensor, Tensor> _generator;
    private readonly OGanCritic _critic;
    private readonly GanLoss _lossKind;
    private readonly AdversarialLoss _loss;
    private readonly double _correlationWeight;
    private readonly double _quadraticPotentialWeight;
    private readonly double _gradientPenaltyWeight;
    private readonly int _latentDimension;

    public OGanGame(nn.Module<Tensor, Tensor> generator, OGanCritic critic, GanLoss loss, double correlationWeight,
        double quadraticPotentialWeight, double gradientPenaltyWeight, int latentDimension)
    {
        _generator = generator;
        _critic = critic;
        _lossKind = loss;
        _loss = AdversarialLoss.Create(loss);
        _correlationWeight = correlationWeight;
        _quadraticPotentialWeight = quadraticPotentialWeight;
        _gradientPenaltyWeight = gradientPenaltyWeight;
        _latentDimension = latentDimension;
    }

    public override nn.Module Generator => _generator;

    public override nn.Module Discriminator => _critic;

    public override DiscriminatorOutcome DiscriminatorLoss(TrainingBatch batch, Generator noise)
    {
        Tensor z = SampleLatent(batch.Size, _latentDimension, noise, batch.Images.device);
        Tensor fake;
        using (no_grad())
        {
            fake = _generator.call(z);
        }
        Tensor realScores = _critic.call(batch.Images).view(-1);
        Tensor fakeCodes = _critic.Encode(fake);
        Tensor fakeScores = _critic.ScoreCodes(fakeCodes).view(-1);
        Tensor loss = _loss.DiscriminatorLoss(realScores, fakeScores);
        if (_lossKind == GanLoss.GanQp)
        {
            loss = loss.Plus(QuadraticPotential(realScores, fakeScores, batch.Images, fake).Times(_quadraticPotentialWeight));
        }
        else if (_lossKind == GanLoss.WassersteinGradientPenalty)
        {
            loss = loss.Plus(GradientPenalty.Compute(_critic, batch.Images, fake, noise).Times(_gradientPenaltyWeight));
        }
        loss = WithCorrelation(loss, z, fakeCodes);
        return new DiscriminatorOutcome(loss, ReportedScore(realScores), ReportedScore(fakeScores));
    }

    public override Tensor GeneratorLoss(TrainingBatch batch, Generator noise)
    {
        Tensor z = SampleLatent(batch.Size, _latentDimension, noise, batch.Images.device);
        Tensor fake = _generator.call(z);
        Tensor fakeCodes;
        // The graph carries gradients through E's activations to G but none to E's weights: this update must not move E,
        // and it skips the cost of E's weight gradients.
        List<Parameter> frozen = Freeze(_critic);
        try
        {
            fakeCodes = _critic.Encode(fake);
            Tensor fakeScores = _critic.ScoreCodes(fakeCodes).view(-1);
            return WithCorrelation(_loss.GeneratorLoss(fakeScores), z, fakeCodes);
        }
        finally
        {
            foreach (Parameter parameter in frozen)
            {
                parameter.requires_grad_(true);
            }
        }
    }

    public override Tensor Sample(Tensor latents) => _generator.call(latents);

    /// <summary>
    /// GAN-QP's potential as in the official O-GAN code: mean over the batch of (D(x) − D(G(z)))² / mean over pixels of
    /// (x − G(z))², each real image paired with one generated image.
    /// </summary>
    internal static Tensor QuadraticPotential(Tensor realScores, Tensor fakeScores, Tensor real, Tensor fake)
    {
        using Tensor gap = realScores - fakeScores;
        using Tensor difference = real - fake.detach();
        using Tensor distance = difference.square().flatten(1).mean(new long[] { 1 });
        using Tensor ratio = gap.square() / distance.AtLeast(1e-8);
        return ratio.mean();
    }

    // λ = 0 is the plain GAN on the same networks, at the plain GAN's cost.
    private Tensor WithCorrelation(Tensor loss, Tensor z, Tensor codes) =>
        _correlationWeight == 0 ? loss : loss - LatentCorrelation.Pearson(z, codes).mean().Times(_correlationWeight);

    private static List<Parameter> Freeze(nn.Module module)
    {
        var frozen = new List<Parameter>();
        foreach (Parameter parameter in module.parameters())
        {
            if (parameter.requires_grad)
            {
                parameter.requires_grad_(false);
                frozen.Add(parameter);
            }
        }
        return frozen;
    }

    // Raw scores for the Wasserstein family (GanQp included); probabilities for the logit losses.
    private Tensor ReportedScore(Tensor scores) =>
        (_lossKind is GanLoss.Minimax or GanLoss.NonSaturating ? sigmoid(scores.detach()) : scores.detach()).mean();
}
