using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.ML.Gan.Networks;
using Microsoft.ML.Gan.Persistence;
using Microsoft.ML.Gan.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Training;

/// <summary>
/// One pass through both networks before the first update: G on random latents, D on G's images, and the gradients of
/// D's scores for every weight of both. With finite weights all of it must be finite and, on a CPU, agree with the same
/// pass without oneDNN's convolutions; where it does not, libtorch's kernels are at fault, and this says so (or works
/// around it) instead of a run that "diverged" at update 1 or trained on wrong gradients.
/// </summary>
/// <remarks>
/// It runs in eval mode on noise of its own: batch-norm statistics, spectral-norm vectors and every random stream of
/// the run stay as they were, so a run trains bit-identically with the check as without it. Measured on an AVX-512
/// CPU whose oneDNN convolutions are faulty (<see cref="OneDnnConvolutions"/>): the ResNet's pass was non-finite in
/// 16 to 25 of 25 tries, and the same kernels also return finite values that are wrong, hence the comparison.
/// </remarks>
internal static class KernelCheck
{
    private const ulong NoiseSeed = 20261204;

    /// <summary>Runs the pass; on a CPU whose oneDNN convolutions are at fault, switches them off for this process.</summary>
    /// <exception cref="InvalidOperationException">The pass is not finite, even without oneDNN.</exception>
    public static void Run(AdversarialGame game, NetworkSpec spec, int batchSize, Device device, Action<string> warn)
    {
        if (FiniteWeights.FindNonFinite(game.Generator) is not null || FiniteWeights.FindNonFinite(game.Discriminator) is not null)
        {
            return; // The divergence guard names non-finite weights or statistics; the kernels cannot be judged with them.
        }

        bool generatorTraining = game.Generator.training;
        bool discriminatorTraining = game.Discriminator.training;
        game.Generator.eval();
        game.Discriminator.eval();
        try
        {
            using var scope = NewDisposeScope();
            // Read before the pass: a ResNet's eval-mode forward may find oneDNN faulty during it (OneDnnConvolutions.Forward).
            bool oneDnnCanBeAvoided = device.type == DeviceType.CPU && OneDnnConvolutions.IsAvailable && !OneDnnConvolutions.Avoided;
            Tensor withOneDnn = Pass(game, spec, batchSize, device, withoutOneDnn: false);
            if (!oneDnnCanBeAvoided)
            {
                if (AllFinite(withOneDnn))
                {
                    return;
                }
                throw Broken(spec, device, withAndWithoutOneDnn: false);
            }

            // Faulty kernels also return finite values that are wrong, so the pass is compared with one that avoids them.
            Tensor withoutOneDnn = Pass(game, spec, batchSize, device, withoutOneDnn: true);
            if (!AllFinite(withoutOneDnn))
            {
                throw Broken(spec, device, withAndWithoutOneDnn: true);
            }
            if (OneDnnConvolutions.Agree(withOneDnn, withoutOneDnn))
            {
                return;
            }
            OneDnnConvolutions.Avoid();
            warn(string.Format(CultureInfo.InvariantCulture,
                "libtorch's oneDNN convolutions returned {0} for these networks on this CPU, and correct values with oneDNN switched off: " +
                "this process trains and generates without oneDNN from now on, which is slower (3-5x for the ResNet where measured). " +
                "Starting the process with the environment variable ONEDNN_MAX_CPU_ISA=SSE41 keeps oneDNN's older kernels, which were " +
                "correct there, at a lower cost (docs/troubleshooting.md).",
                AllFinite(withOneDnn) ? "wrong values" : "NaN or infinite values"));
        }
        finally
        {
            if (generatorTraining)
            {
                game.Generator.train();
            }
            if (discriminatorTraining)
            {
                game.Discriminator.train();
            }
        }
    }

    // The scores' sum and every weight's gradient of it, as one vector.
    private static Tensor Pass(AdversarialGame game, NetworkSpec spec, int batchSize, Device device, bool withoutOneDnn)
    {
        using var scope = NewDisposeScope();
        using var kernels = OneDnnConvolutions.Scope(force: withoutOneDnn);
        using var noise = new torch.Generator(NoiseSeed);
        Tensor latents = randn(new[] { (long)batchSize, spec.LatentDimension }, generator: noise).to(device);
        Tensor score = game.ScoreSamples(latents).sum();
        Tensor[] weights = game.Generator.parameters().Concat(game.Discriminator.parameters()).Where(p => p.requires_grad).ToArray<Tensor>();
        IEnumerable<Tensor> gradients = autograd.grad(new[] { score }, weights, allow_unused: true)
            .Where(gradient => gradient is not null && !gradient.IsInvalid)
            .Select(gradient => gradient.flatten());
        return cat(gradients.Prepend(score.detach().reshape(1)).ToArray(), 0).MoveToOuterDisposeScope();
    }

    private static InvalidOperationException Broken(NetworkSpec spec, Device device, bool withAndWithoutOneDnn) => new(string.Format(CultureInfo.InvariantCulture,
        "One forward and backward pass of the {0} networks for {1} images on {2}, with finite weights and before any update, gave NaN " +
        "or infinite values{3}: libtorch's kernels do not compute these layers correctly on this machine, so training would diverge " +
        "at its first update. Try another architecture (Dcgan) or device; on a CPU, start the process with the environment variable " +
        "ONEDNN_MAX_CPU_ISA=SSE41 (docs/troubleshooting.md).",
        spec.Architecture, spec.Shape, device, withAndWithoutOneDnn ? ", with libtorch's oneDNN convolutions and without them" : ""));

    private static bool AllFinite(Tensor tensor) => tensor.isfinite().all().item<bool>();
}
