using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Training;

/// <summary>
/// The original GAN game and its descendants: G maps z to an image, D scores an image, and <see cref="GanLoss"/> picks
/// the losses (plus WGAN-GP's gradient penalty).
/// </summary>
internal sealed class UnconditionalGame : AdversarialGame
{
    private readonly nn.Module<Tensor, Tensor> _generator;
    private readonly nn.Module<Tensor, Tensor> _discriminator;
    private readonly GanLoss _lossKind;
    private readonly AdversarialLoss _loss;
    private readonly double _gradientPenaltyWeight;
    private readonly int _latentDimension;

    public UnconditionalGame(nn.Module<Tensor, Tensor> generator, nn.Module<Tensor, Tensor> discriminator, GanLoss loss,
        double gradientPenaltyWeight, int latentDimension)
    {
        _generator = generator;
        _discriminator = discriminator;
        _lossKind = loss;
        _loss = AdversarialLoss.Create(loss);
        _gradientPenaltyWeight = gradientPenaltyWeight;
        _latentDimension = latentDimension;
    }

    public override nn.Module Generator => _generator;

    public override nn.Module Discriminator => _discriminator;

    // Fakes are generated without tracking G's graph: D's update must not reach G.
    public override DiscriminatorOutcome DiscriminatorLoss(TrainingBatch batch, Generator noise)
    {
        Tensor fake;
        using (no_grad())
        {
            fake = _generator.call(SampleLatent(batch.Size, _latentDimension, noise, batch.Images.device));
        }
        Tensor realScores = _discriminator.call(batch.Images).view(-1);
        Tensor fakeScores = _discriminator.call(fake).view(-1);
        Tensor loss = _loss.DiscriminatorLoss(realScores, fakeScores);
        if (_lossKind == GanLoss.WassersteinGradientPenalty)
        {
            loss = loss.Plus(GradientPenalty.Compute(_discriminator, batch.Images, fake, noise).Times(_gradientPenaltyWeight));
        }
        return new DiscriminatorOutcome(loss, ReportedScore(realScores), ReportedScore(fakeScores));
    }

    public override Tensor GeneratorLoss(TrainingBatch batch, Generator noise)
    {
        Tensor fake = _generator.call(SampleLatent(batch.Size, _latentDimension, noise, batch.Images.device));
        return _loss.GeneratorLoss(_discriminator.call(fake).view(-1));
    }

    public override Tensor Sample(Tensor latents) => _generator.call(latents);

    // Logit losses report probabilities, so D(x) and D(G(z)) read as in the original paper; the others report raw scores.
    private Tensor ReportedScore(Tensor scores) =>
        (_lossKind is GanLoss.Minimax or GanLoss.NonSaturating ? sigmoid(scores.detach()) : scores.detach()).mean();
}
