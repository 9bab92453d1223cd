using System;
using Microsoft.ML.Gan.Training;
using NUnit.Framework;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Tests.Training;

[TestFixture]
public sealed class R1PenaltyTests
{
    private static readonly float[] W = { 0.5f, -1f, 2f, 0.25f };

    // D(x) = w·x + b: ∇ₓD = w at every image, so E[‖∇ₓD‖²] = ‖w‖² = 0.25 + 1 + 4 + 0.0625 = 5.3125,
    // and ∂/∂w = 2w = [1, −2, 4, 0.5]: the penalty trains the critic (double backprop).
    [Test]
    public void PenaltyOfALinearCriticIsItsSquaredWeightNormAndReachesTheWeight()
    {
        Linear critic = LinearCritic();
        using var scope = NewDisposeScope();
        using var random = new torch.Generator(4);
        Tensor real = rand(new long[] { 5, 1, 2, 2 }, generator: random);

        Tensor penalty = R1Penalty.Compute(Critic(critic), real);
        Assert.That(penalty.item<float>(), Is.EqualTo(5.3125).Within(1e-5));

        penalty.backward();
        Assert.That(critic.weight.grad!.reshape(-1).data<float>().ToArray(), Is.EqualTo(new[] { 1f, -2f, 4f, 0.5f }).Within(1e-5));
        Assert.That(real.grad, Is.Null, "the images receive no gradient");
    }

    // D(x) = ½‖x‖² has ∇ₓD = x, so the penalty is the batch mean of ‖xᵢ‖²: (2² + 0.5²)/2 = 2.125.
    [Test]
    public void SquaredNormIsPerSampleAndAveragedOverTheBatch()
    {
        using var scope = NewDisposeScope();
        Tensor images = tensor(new[] { 2f, 0f, 0f, 0f, 0f, 0.3f, 0.4f, 0f }).reshape(2, 1, 2, 2);

        Tensor penalty = R1Penalty.Compute(x => x.square().reshape(x.shape[0], -1).sum(1).mul(0.5f), images);

        Assert.That(penalty.item<float>(), Is.EqualTo(2.125).Within(1e-6));
    }

    // γ/2 · E[‖∇ₓD‖²] on the real images as judged; lazy with interval 4: 4× that at updates 0, 4, 8, none in between.
    [Test]
    public void LazyTermIsIntervalTimesThePenaltyOnItsUpdatesAndAbsentOnTheOthers()
    {
        Linear critic = LinearCritic();
        var lazy = new R1Penalty(weight: 3, interval: 4);
        var every = new R1Penalty(weight: 3, interval: 1);
        using var scope = NewDisposeScope();
        using var random = new torch.Generator(2);
        Tensor real = rand(new long[] { 3, 1, 2, 2 }, generator: random);

        for (int update = 0; update < 9; update++)
        {
            DiscriminatorPass pass = Pass(critic, real, random, update);
            Assert.That(every.DiscriminatorTerm(pass)!.item<float>(), Is.EqualTo(1.5 * 5.3125).Within(1e-4), $"update {update}");
            Tensor? term = lazy.DiscriminatorTerm(pass);
            if (update % 4 == 0)
            {
                Assert.That(term!.item<float>(), Is.EqualTo(4 * 1.5 * 5.3125).Within(1e-4), $"update {update}");
            }
            else
            {
                Assert.That(term, Is.Null, $"update {update}");
            }
        }
        Assert.That(lazy.GeneratorTerm(new GeneratorPass(new TrainingBatch(real, null), real, real, new CriticJudgement(real))), Is.Null);
    }

    // It penalises the images the critic judged (the pass's Reals, augmented when the game augments), not the batch as read.
    [Test]
    public void PenaltyIsTakenAtTheImagesTheCriticJudged()
    {
        using var scope = NewDisposeScope();
        Tensor read = zeros(2, 1, 2, 2);
        Tensor judged = tensor(new[] { 2f, 0f, 0f, 0f, 0f, 0.3f, 0.4f, 0f }).reshape(2, 1, 2, 2);
        Func<Tensor, Tensor> halfSquaredNorm = x => x.square().reshape(x.shape[0], -1).sum(1).mul(0.5f);
        using var noise = new torch.Generator(1);
        var pass = new DiscriminatorPass(new TrainingBatch(read, null), zeros(2, 3), judged, judged, new CriticJudgement(zeros(2)),
            new CriticJudgement(zeros(2)), halfSquaredNorm, noise, Update: 0);

        Assert.That(new R1Penalty(weight: 2, interval: 1).DiscriminatorTerm(pass)!.item<float>(), Is.EqualTo(2.125).Within(1e-6));
    }

    [Test]
    public void UnderNoGradItThrowsInsteadOfAbortingTheProcess()
    {
        Linear critic = LinearCritic();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Assert.Throws<InvalidOperationException>(() => R1Penalty.Compute(Critic(critic), zeros(2, 1, 2, 2)));
    }

    [Test]
    public void IntervalBelowOneIsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new R1Penalty(weight: 1, interval: 0));

    private static DiscriminatorPass Pass(Linear critic, Tensor real, torch.Generator noise, int update) => new DiscriminatorPass(new TrainingBatch(real, null), zeros(real.shape[0], 3), real, real,
            new CriticJudgement(zeros(real.shape[0])), new CriticJudgement(zeros(real.shape[0])), Critic(critic), noise, update);

    private static Func<Tensor, Tensor> Critic(Linear linear) => x => linear.call(x.reshape(x.shape[0], -1)).view(-1);

    // Linear(4 → 1) with weight W and bias 0.3, for 1×2×2 images.
    private static Linear LinearCritic()
    {
        Linear linear = nn.Linear(4, 1);
        using (no_grad())
        {
            linear.weight.copy_(tensor(W).reshape(1, 4));
            linear.bias!.fill_(0.3);
        }
        return linear;
    }
}
