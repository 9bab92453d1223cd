using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Training;

/// <summary>
/// Recomputes a generator's batch-norm running statistics from its own outputs, after its weights were replaced by their
/// moving average: the statistics gathered during training belong to the raw weights, and the averaged generator used
/// with them drew visibly broken images and a worse FID (docs/checkpoints.md). BigGAN calls the remedy "standing
/// statistics".
/// </summary>
internal static class BatchNormStatistics
{
    /// <summary>Forward passes; with batch norm's momentum of 0.1 the reset statistics keep a weight of 0.9^100 ≈ 3e-5.</summary>
    public const int Batches = 100;

    /// <summary>Latents per forward pass.</summary>
    public const int BatchSize = 128;

    /// <summary>
    /// Resets every batch-norm layer of <paramref name="game"/>'s generator and refills its statistics from
    /// <see cref="Batches"/> batches of generated images drawn with <paramref name="seed"/>; leaves the generator in eval
    /// mode. A generator without batch norm is left untouched.
    /// </summary>
    public static void Recompute(AdversarialGame game, int latentDimension, Device device, int seed)
    {
        var norms = game.Generator.modules().OfType<TorchSharp.Modules.BatchNorm>().ToList();
        if (norms.Count == 0)
        {
            return;
        }
        foreach (TorchSharp.Modules.BatchNorm norm in norms)
        {
            norm.reset_running_stats();
        }
        using var latents = new Generator((ulong)seed + 3);
        game.Generator.train();
        try
        {
            for (int batch = 0; batch < Batches; batch++)
            {
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                game.Sample(randn(new long[] { BatchSize, latentDimension }, generator: latents).to(device));
            }
        }
        finally
        {
            game.Generator.eval();
        }
    }
}
