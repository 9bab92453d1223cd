using System;
using Microsoft.ML.Gan.Data;
using Microsoft.ML.Gan.Networks;
using Microsoft.ML.Gan.Torch;
using Microsoft.ML.Gan.Training;
using NUnit.Framework;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Tests.Training;

[TestFixture]
public sealed class GradientPenaltyTests
{
    private static readonly float[] W = { 0.5f, -1f, 2f, 0.25f };

    // D(x) = w·x + b: ∇ₓD = w everywhere, so the penalty is (‖w‖ − 1)² whatever ε,
    // with ‖w‖ = √5.3125 = 2.3048861143 → 1.7027277714,
    // and ∂penalty/∂w = 2(‖w‖ − 1)·w/‖w‖ = [0.5661390844, −1.1322781687, 2.2645563375, 0.2830695422].
    [Test]
    public void PenaltyOfALinearCriticIsSquaredNormExcessAndReachesTheWeight()
    {
        var critic = LinearCritic(W);
        using var random = new torch.Generator(11);
        using var scope = torch.NewDisposeScope();
        var real = torch.rand(new long[] { 5, 1, 2, 2 }, generator: random);
        var fake = torch.rand(new long[] { 5, 1, 2, 2 }, generator: random);

        var penalty = GradientPenalty.Compute(critic, real, fake, random);
        Assert.That(penalty.item<float>(), Is.EqualTo(1.7027277714).Within(1e-5));

        penalty.backward();
        var linear = (Linear)critic[1];
        var grad = linear.weight.grad!.reshape(-1).data<float>().ToArray();
        Assert.That(grad, Is.EqualTo(new[] { 0.5661390844f, -1.1322781687f, 2.2645563375f, 0.2830695422f }).Within(1e-5));

        // The bias does not change ∇ₓD, so it gets no gradient from the penalty.
        Assert.That(linear.bias!.grad is null || linear.bias.grad.abs().max().item<float>() == 0f, Is.True);
    }

    // With two outputs the gradient is taken of their sum: ∇ₓ(w₁·x + w₂·x) = w₁ + w₂ = [1.5, 0, 1, 0.75],
    // ‖w₁ + w₂‖ = 1.9525624190, penalty = 0.9073751620.
    [Test]
    public void MultipleOutputsAreSummedBeforeDifferentiating()
    {
        var critic = LinearCritic(W, new[] { 1f, 1f, -1f, 0.5f });
        using var random = new torch.Generator(3);
        using var scope = torch.NewDisposeScope();
        var real = torch.rand(new long[] { 4, 1, 2, 2 }, generator: random);
        var fake = torch.rand(new long[] { 4, 1, 2, 2 }, generator: random);

        Assert.That(GradientPenalty.Compute(critic, real, fake, random).item<float>(), Is.EqualTo(0.9073751620).Within(1e-5));
    }

    // D(x) = ½‖x‖² (output [N]) has ∇ₓD = x, which differs per sample. With real = fake, x̂ = real whatever ε, so the
    // penalty is mean((‖xᵢ‖ − 1)²) = ((2 − 1)² + (0.5 − 1)²)/2 = 0.625: a per-sample norm, then a batch mean.
    [Test]
    public void NormIsPerSampleAndAveragedOverTheBatch()
    {
        using var critic = new HalfSquaredNorm();
        using var random = new torch.Generator(5);
        using var scope = torch.NewDisposeScope();
        var images = tensor(new[] { 2f, 0f, 0f, 0f, 0f, 0.3f, 0.4f, 0f }).reshape(2, 1, 2, 2); // norms 2 and 0.5

        Assert.That(GradientPenalty.Compute(critic, images, images, random).item<float>(), Is.EqualTo(0.625).Within(1e-6));
    }

    // ε must come from the generator passed in: same seed → same interpolates → same penalty.
    [Test]
    public void InterpolationIsDrawnFromTheGivenGenerator()
    {
        using var critic = new HalfSquaredNorm();
        using var scope = torch.NewDisposeScope();
        var real = torch.ones(6, 1, 2, 2);
        var fake = torch.zeros(6, 1, 2, 2);

        float Penalty(ulong seed)
        {
            using var random = new torch.Generator(seed);
            torch.manual_seed((long)seed + 1000); // the global RNG must not matter
            return GradientPenalty.Compute(critic, real, fake, random).item<float>();
        }

        Assert.That(Penalty(1), Is.EqualTo(Penalty(1)));
        Assert.That(Penalty(1), Is.Not.EqualTo(Penalty(2)));
    }

    // The full DCGAN critic (spectral norm on, BatchNorm off as WGAN-GP wants): double backprop reaches every weight.
    [Test]
    public void PenaltyBackpropagatesThroughASpectrallyNormalisedDcganCritic()
    {
        using var init = new torch.Generator(1);
        var spec = new NetworkSpec(GanArchitecture.Dcgan, new ImageShape(1, 8, 8), 16, SpectralNormalization: true, DiscriminatorBatchNorm: false);
        using var critic = GanNetworkFactory.CreateDiscriminator(spec, init);
        using var scope = torch.NewDisposeScope();
        var real = torch.rand(new long[] { 3, 1, 8, 8 }, generator: init);
        var fake = torch.rand(new long[] { 3, 1, 8, 8 }, generator: init);

        var penalty = GradientPenalty.Compute(critic, real, fake, init);
        penalty.backward();

        foreach (var (name, parameter) in critic.named_parameters())
        {
            if (name.EndsWith(".weight", StringComparison.Ordinal))
            {
                Assert.That(parameter.grad, Is.Not.Null, name);
                Assert.That(parameter.grad!.abs().sum().item<float>(), Is.GreaterThan(0f), name);
            }
        }
    }

    [Test]
    public void RejectsMismatchedBatches()
    {
        var critic = LinearCritic(W);
        using var random = new torch.Generator(1);
        using var scope = torch.NewDisposeScope();
        Assert.Throws<ArgumentException>(() => GradientPenalty.Compute(critic, torch.zeros(2, 1, 2, 2), torch.zeros(3, 1, 2, 2), random));
    }

    [Test]
    public void RefusesToRunUnderNoGradInsteadOfAborting()
    {
        var critic = LinearCritic(W);
        using var random = new torch.Generator(1);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        Assert.Throws<InvalidOperationException>(() => GradientPenalty.Compute(critic, torch.zeros(2, 1, 2, 2), torch.zeros(2, 1, 2, 2), random));
    }

    // Flatten then Linear(4 → rows): a critic on 1×2×2 images with the given weight rows and bias 0.3.
    private static Sequential LinearCritic(params float[][] rows)
    {
        var linear = nn.Linear(4, rows.Length);
        using (torch.no_grad())
        {
            var flat = new float[rows.Length * 4];
            for (int r = 0; r < rows.Length; r++)
            {
                Array.Copy(rows[r], 0, flat, r * 4, 4);
            }

            using var values = tensor(flat).reshape(rows.Length, 4);
            linear.weight.copy_(values);
            linear.bias!.fill_(0.3);
        }

        return nn.Sequential(nn.Flatten(), linear);
    }

    private sealed class HalfSquaredNorm : nn.Module<Tensor, Tensor>
    {
        public HalfSquaredNorm() : base(nameof(HalfSquaredNorm)) => RegisterComponents();

        public override Tensor forward(Tensor input) => input.square().reshape(input.shape[0], -1).sum(1).mul(0.5); // [N]
    }
}
