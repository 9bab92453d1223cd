using System.Linq;
using Microsoft.ML.Gan.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Training;

/// <summary>
/// The class-conditional GAN game: G(z, y) draws an image of class y, D(x, y) judges whether x is a real image of
/// class y (projection), and/or D also classifies x (ACGAN). Any <see cref="GanLoss"/> applies to D's conditional
/// score; WGAN-GP's penalty is taken on x ↦ D(x, y).
/// </summary>
/// <remarks>
/// Fakes are drawn for the labels of the real batch, so the classes G practises follow the training label
/// distribution. ACGAN's classification term follows Odena et al. 2017: D learns to classify both real and generated
/// images by their class, and G learns to make its images classified as the class it was asked for.
/// </remarks>
internal sealed class ConditionalGame : AdversarialGame
{
    private readonly ConditionalGenerator _generator;
    private readonly ConditionalDiscriminator _discriminator;
    private readonly GanLoss _lossKind;
    private readonly AdversarialLoss _loss;
    private readonly double _gradientPenaltyWeight;
    private readonly double _classifierWeight;
    private readonly int _latentDimension;

    public ConditionalGame(ConditionalGenerator generator, ConditionalDiscriminator discriminator, GanLoss loss,
        double gradientPenaltyWeight, double classifierWeight, int latentDimension)
    {
        _generator = generator;
        _discriminator = discriminator;
        _lossKind = loss;
        _loss = AdversarialLoss.Create(loss);
        _gradientPenaltyWeight = gradientPenaltyWeight;
        _classifierWeight = classifierWeight;
        _latentDimension = latentDimension;
    }

    public override nn.Module Generator => _generator;

    public override nn.Module Discriminator => _discriminator;

    public override DiscriminatorOutcome DiscriminatorLoss(TrainingBatch batch, Generator noise)
    {
        Tensor labels = batch.Labels!;
        Tensor fake;
        using (no_grad())
        {
            fake = _generator.call(SampleLatent(batch.Size, _latentDimension, noise, batch.Images.device), labels);
        }
        (Tensor realScores, Tensor? realLogits) = _discriminator.Evaluate(batch.Images, labels);
        (Tensor fakeScores, Tensor? fakeLogits) = _discriminator.Evaluate(fake, labels);
        Tensor loss = _loss.DiscriminatorLoss(realScores, fakeScores);
        if (_lossKind == GanLoss.WassersteinGradientPenalty)
        {
            loss = loss.Plus(GradientPenalty.Compute(images => _discriminator.call(images, labels), batch.Images, fake, noise).Times(_gradientPenaltyWeight));
        }
        if (realLogits is not null && fakeLogits is not null)
        {
            Tensor classification = nn.functional.cross_entropy(realLogits, labels).Plus(nn.functional.cross_entropy(fakeLogits, labels));
            loss = loss.Plus(classification.Times(_classifierWeight));
        }
        return new DiscriminatorOutcome(loss, ReportedScore(realScores), ReportedScore(fakeScores));
    }

    public override Tensor GeneratorLoss(TrainingBatch batch, Generator noise)
    {
        Tensor labels = batch.Labels!;
        Tensor fake = _generator.call(SampleLatent(batch.Size, _latentDimension, noise, batch.Images.device), labels);
        (Tensor scores, Tensor? logits) = _discriminator.Evaluate(fake, labels);
        Tensor loss = _loss.GeneratorLoss(scores);
        return logits is null ? loss : loss.Plus(nn.functional.cross_entropy(logits, labels).Times(_classifierWeight));
    }

    // Previews cycle through the classes: sample i shows class i mod K.
    public override Tensor Sample(Tensor latents)
    {
        long[] cycle = Enumerable.Range(0, (int)latents.shape[0]).Select(i => (long)(i % _generator.Classes)).ToArray();
        Tensor labels = tensor(cycle, device: latents.device);
        return _generator.call(latents, labels);
    }

    // Logit losses report probabilities, as the unconditional game does; the others report raw scores.
    private Tensor ReportedScore(Tensor scores) =>
        (_lossKind is GanLoss.Minimax or GanLoss.NonSaturating ? sigmoid(scores.detach()) : scores.detach()).mean();
}
