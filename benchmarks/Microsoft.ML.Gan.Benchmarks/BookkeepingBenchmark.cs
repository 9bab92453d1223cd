using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Microsoft.ML.Gan.Torch;
using Microsoft.ML.Gan.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Benchmarks;

/// <summary>
/// The per-step cost of what Fit adds to the bare loop's math: the running sums of losses and scores for the history
/// (before and after this branch's change), the per-step NaN check of the losses (.item(), CPU only), and the per-step
/// sums of every gradient tensor of the MLP's two networks that the divergence guard did until it checked weights at
/// log points instead, in µs per training step.
/// </summary>
internal static class BookkeepingBenchmark
{
    private const int Iterations = 4_000;

    public static void Run(BenchmarkSettings settings)
    {
        Report.Section("Fit's per-step bookkeeping (µs per training step, median)");
        Report.Header("running sums, 4 slots updated one by one (before)", "running sums, one stack + add (now)", "NaN check: 2 × item()",
            "MLP gradient sums, both networks (removed)");
        var before = new List<double>();
        var now = new List<double>();
        var checks = new List<double>();
        var gradientChecks = new List<double>();
        Networks.NetworkSpec spec = BareTrainingLoop.Spec(GanArchitecture.Mlp, GanLoss.NonSaturating);
        using var initRandom = new Generator(1);
        using var generator = Networks.GanNetworkFactory.CreateGenerator(spec, initRandom);
        using var discriminator = Networks.GanNetworkFactory.CreateDiscriminator(spec, initRandom);
        using (NewDisposeScope())
        {
            discriminator.call(generator.call(randn(64, 100))).sum().backward();
        }
        using Tensor sums = zeros(4);
        using Tensor discriminatorSums = sums.narrow(0, 0, 3);
        using Tensor generatorSum = sums.narrow(0, 3, 1);
        using Tensor realScores = randn(64);
        using Tensor fakeScores = randn(64);
        using Tensor loss = randn(1).view(new long[0]);
        for (int r = 0; r < settings.Repeats + 1; r++)
        {
            before.Add(Time(() =>
            {
                sums[0].add_(loss.detach() / 1);
                sums[2].add_(sigmoid(realScores.detach()).mean() / 1);
                sums[3].add_(sigmoid(fakeScores.detach()).mean() / 1);
                sums[1].add_(loss.detach());
            }));
            now.Add(Time(() =>
            {
                discriminatorSums.AddInPlace(stack(new[] { loss.detach(), sigmoid(realScores.detach()).mean(), sigmoid(fakeScores.detach()).mean() }));
                generatorSum.AddInPlace(loss.detach());
            }));
            checks.Add(Time(() =>
            {
                _ = loss.item<float>();
                _ = loss.item<float>();
            }));
            gradientChecks.Add(Time(() =>
            {
                foreach (var network in new TorchSharp.torch.nn.Module[] { discriminator, generator })
                {
                    _ = stack(network.parameters().Select(p => p.grad!.sum()).ToArray()).sum().item<float>();
                }
            }));
        }

        Report.Row(Measurements.Median(before), Measurements.Median(now), Measurements.Median(checks), Measurements.Median(gradientChecks));
    }

    private static double Time(System.Action step)
    {
        using (no_grad())
        {
            var started = Stopwatch.StartNew();
            for (int i = 0; i < Iterations; i++)
            {
                using (NewDisposeScope())
                {
                    step();
                }
            }

            return started.Elapsed.TotalMilliseconds * 1000 / Iterations;
        }
    }
}
