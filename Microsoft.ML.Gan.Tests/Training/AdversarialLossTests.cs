using System;
using Microsoft.ML.Gan.Training;
using NUnit.Framework;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Tests.Training;

// Expected values are computed by hand from realScores [2, −1] and fakeScores [0.5, −3]:
// softplus(−2) = 0.1269280110, softplus(1) = 1.3132616875, softplus(0.5) = 0.9740769842,
// softplus(−3) = 0.0485873516, softplus(−0.5) = 0.4740769842, softplus(3) = 3.0485873516.
[TestFixture]
public sealed class AdversarialLossTests
{
    private const double Tolerance = 1e-6;

    private static readonly float[] Real = { 2f, -1f };
    private static readonly float[] Fake = { 0.5f, -3f };

    // BCE(real, 1) + BCE(fake, 0) = (0.1269280110 + 1.3132616875)/2 + (0.9740769842 + 0.0485873516)/2.
    private const double BinaryCrossEntropyD = 1.2314270172;

    [TestCase(GanLoss.Minimax, BinaryCrossEntropyD)]
    [TestCase(GanLoss.NonSaturating, BinaryCrossEntropyD)]
    [TestCase(GanLoss.Wasserstein, -1.75)]                // mean(fake) − mean(real) = −1.25 − 0.5
    [TestCase(GanLoss.WassersteinGradientPenalty, -1.75)]
    [TestCase(GanLoss.Hinge, 1.75)]                       // (0 + 2)/2 + (1.5 + 0)/2
    [TestCase(GanLoss.LeastSquares, 3.5625)]              // ½(1 + 4)/2 + ½(0.25 + 9)/2
    public void DiscriminatorLossMatchesFormula(GanLoss kind, double expected)
    {
        var loss = AdversarialLoss.Create(kind);
        using var scope = torch.NewDisposeScope();
        Assert.That(loss.DiscriminatorLoss(tensor(Real), tensor(Fake)).item<float>(), Is.EqualTo(expected).Within(Tolerance));

        // Scores of shape [N, 1] (what a discriminator returns) give the same value.
        var column = loss.DiscriminatorLoss(tensor(Real).reshape(2, 1), tensor(Fake).reshape(2, 1));
        Assert.That(column.item<float>(), Is.EqualTo(expected).Within(Tolerance));
    }

    [TestCase(GanLoss.Minimax, -0.5113321679)]            // mean(log(1 − σ(fake))) = −(0.9740769842 + 0.0485873516)/2
    [TestCase(GanLoss.NonSaturating, 1.7613321679)]       // mean(softplus(−fake)) = (0.4740769842 + 3.0485873516)/2
    [TestCase(GanLoss.Wasserstein, 1.25)]                 // −mean(fake)
    [TestCase(GanLoss.WassersteinGradientPenalty, 1.25)]
    [TestCase(GanLoss.Hinge, 1.25)]
    [TestCase(GanLoss.LeastSquares, 4.0625)]              // ½((−0.5)² + (−4)²)/2
    public void GeneratorLossMatchesFormula(GanLoss kind, double expected)
    {
        var loss = AdversarialLoss.Create(kind);
        using var scope = torch.NewDisposeScope();
        Assert.That(loss.GeneratorLoss(tensor(Fake)).item<float>(), Is.EqualTo(expected).Within(Tolerance));
        Assert.That(loss.GeneratorLoss(tensor(Fake).reshape(2, 1)).item<float>(), Is.EqualTo(expected).Within(Tolerance));
    }

    [TestCase(GanLoss.Minimax, typeof(MinimaxLoss))]
    [TestCase(GanLoss.NonSaturating, typeof(NonSaturatingLoss))]
    [TestCase(GanLoss.Wasserstein, typeof(WassersteinLoss))]
    [TestCase(GanLoss.WassersteinGradientPenalty, typeof(WassersteinLoss))]
    [TestCase(GanLoss.Hinge, typeof(HingeLoss))]
    [TestCase(GanLoss.LeastSquares, typeof(LeastSquaresLoss))]
    public void CreatePicksTheLossOfTheEnum(GanLoss kind, Type expected)
    {
        Assert.That(AdversarialLoss.Create(kind), Is.TypeOf(expected));
    }

    [Test]
    public void CreateRejectsAnUnknownValue()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AdversarialLoss.Create((GanLoss)99));
    }

    // Logit forms must stay finite where log(σ(x)) computed naively would give log(0) = −∞.
    [Test]
    public void BinaryCrossEntropyLossesAreStableForLargeLogits()
    {
        using var scope = torch.NewDisposeScope();
        var confidentD = tensor(new[] { -200f, 200f });
        var nonSaturating = AdversarialLoss.Create(GanLoss.NonSaturating);
        var minimax = AdversarialLoss.Create(GanLoss.Minimax);

        // softplus(200) = 200; softplus(−200) ≈ 0.
        Assert.That(nonSaturating.GeneratorLoss(confidentD).item<float>(), Is.EqualTo(100.0).Within(1e-4));
        Assert.That(minimax.GeneratorLoss(confidentD).item<float>(), Is.EqualTo(-100.0).Within(1e-4));
        Assert.That(nonSaturating.DiscriminatorLoss(confidentD, confidentD).item<float>(), Is.EqualTo(200.0).Within(1e-4));
    }

    // The non-saturating loss exists because the minimax one gives G almost no gradient when D rejects fakes.
    [Test]
    public void MinimaxGeneratorGradientSaturatesWhereNonSaturatingDoesNot()
    {
        using var scope = torch.NewDisposeScope();
        var minimaxFake = tensor(new[] { -10f }, requires_grad: true);
        AdversarialLoss.Create(GanLoss.Minimax).GeneratorLoss(minimaxFake).backward();
        var nonSaturatingFake = tensor(new[] { -10f }, requires_grad: true);
        AdversarialLoss.Create(GanLoss.NonSaturating).GeneratorLoss(nonSaturatingFake).backward();

        // d/dx −softplus(x) = −σ(x) ≈ −4.5e−5; d/dx softplus(−x) = −σ(−x) ≈ −1.
        Assert.That(minimaxFake.grad!.item<float>(), Is.EqualTo(-4.5397868702e-5).Within(1e-8));
        Assert.That(nonSaturatingFake.grad!.item<float>(), Is.EqualTo(-0.9999546021).Within(1e-6));
    }
}
