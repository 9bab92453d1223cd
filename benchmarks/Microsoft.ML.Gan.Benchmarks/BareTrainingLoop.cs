using System;
using Microsoft.ML.Gan.Networks;
using Microsoft.ML.Gan.Torch;
using Microsoft.ML.Gan.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Benchmarks;

/// <summary>
/// The reference: the same modules (GanNetworkFactory), the same D-step and G-step math (AdversarialLoss, GradientPenalty,
/// Adam) and the same batch sampling (a shuffled index_select from one tensor) as GanTrainingLoop, and nothing else:
/// no IDataView, no logging, no history, no NaN checks.
/// </summary>
internal static class BareTrainingLoop
{
    /// <summary>Builds the networks and runs <paramref name="steps"/> generator updates (one D update each); times from module creation.</summary>
    public static RunTiming Run(Tensor data, GanArchitecture architecture, GanLoss lossKind, int steps, int batch, int seed)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        bool penalty = lossKind == GanLoss.WassersteinGradientPenalty;
        NetworkSpec spec = Spec(architecture, lossKind);
        using var initRandom = new torch.Generator((ulong)seed);
        using var generator = GanNetworkFactory.CreateGenerator(spec, initRandom);
        using var discriminator = GanNetworkFactory.CreateDiscriminator(spec, initRandom);
        using var optimizerG = new AdamOptimizer(generator.parameters(), 2e-4, 0.5, 0.999);
        using var optimizerD = new AdamOptimizer(discriminator.parameters(), 2e-4, 0.5, 0.999);
        using var shuffleRandom = new torch.Generator((ulong)seed + 1);
        using var noiseRandom = new torch.Generator((ulong)seed + 2);
        AdversarialLoss loss = AdversarialLoss.Create(lossKind);
        generator.train();
        discriminator.train();

        long count = data.shape[0];
        long perEpoch = count / batch;
        int warm = RunTiming.WarmStepsFor(steps);
        double atWarm = 0;
        Tensor? order = null;
        for (int step = 0; step < steps; step++)
        {
            long b = step % perEpoch;
            if (b == 0)
            {
                order?.Dispose();
                order = randperm(count, generator: shuffleRandom);
            }

            using (NewDisposeScope())
            {
                Tensor real = data.index_select(0, order!.narrow(0, b * batch, batch));
                Tensor fake;
                using (no_grad())
                {
                    fake = generator.call(randn(new long[] { batch, 100 }, generator: noiseRandom));
                }

                Tensor lossD = loss.DiscriminatorLoss(discriminator.call(real).view(-1), discriminator.call(fake).view(-1));
                if (penalty)
                {
                    lossD = lossD.Plus(GradientPenalty.Compute(discriminator, real, fake, noiseRandom).Times(10.0));
                }

                optimizerD.ZeroGrad();
                lossD.backward();
                optimizerD.Step();
            }

            using (NewDisposeScope())
            {
                Tensor lossG = loss.GeneratorLoss(discriminator.call(generator.call(randn(new long[] { batch, 100 }, generator: noiseRandom))).view(-1));
                optimizerG.ZeroGrad();
                lossG.backward();
                optimizerG.Step();
            }

            if (step + 1 == warm)
            {
                atWarm = started.Elapsed.TotalSeconds;
            }
        }

        order?.Dispose();
        double total = started.Elapsed.TotalSeconds;
        return new RunTiming(steps, total, total - atWarm);
    }

    /// <summary>The networks Fit builds for 28×28 grayscale images, latent 100, with <paramref name="lossKind"/> (ResNet's D spectrally normalised, as Fit makes it).</summary>
    public static NetworkSpec Spec(GanArchitecture architecture, GanLoss lossKind) =>
        GanTrainer.CreateSpec(FitRunner.Options(architecture, lossKind, steps: 1), new Data.ImageShape(1, 28, 28));
}
