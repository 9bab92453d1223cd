using System;
using System.Globalization;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Training;

/// <summary>
/// Stops training when a loss or a network's weights become NaN or infinite. Every update's loss is checked: on the CPU
/// at once; on a GPU the checks accumulate on the device and are read at <see cref="Flush"/>, so the GPU is not
/// synchronised every step. <see cref="Flush"/> (log points, checkpoints, the last update) also checks both networks'
/// weights, so a checkpoint or a returned model never holds diverged weights.
/// </summary>
/// <remarks>
/// Gradients are not summed per update: that cost one libtorch call per parameter tensor per update, 5–10 % of an MLP
/// step. A non-finite gradient is still caught: Adam turns it into non-finite weights, which make the next update's loss
/// non-finite, and <see cref="Flush"/> finds them before anything is saved.
/// </remarks>
internal sealed class DivergenceGuard : IDisposable
{
    private const int DiscriminatorSlot = 0;
    private const int GeneratorSlot = 1;
    private static readonly string[] LossNames = { "loss_D", "loss_G" };

    private readonly nn.Module _generator;
    private readonly nn.Module _discriminator;
    private readonly bool _checkEveryStep;
    private readonly Tensor _pending;
    // The first update since the last Flush: the range a non-finite weight (or a deferred loss) may come from.
    private int _firstUnchecked = 1;

    /// <param name="device">Where the losses and weights live.</param>
    /// <param name="generator">The generator, whose weights <see cref="Flush"/> checks.</param>
    /// <param name="discriminator">The discriminator, whose weights <see cref="Flush"/> checks.</param>
    /// <param name="deferChecks">Accumulate loss checks until <see cref="Flush"/>; null defers them on every device but the CPU.</param>
    public DivergenceGuard(Device device, nn.Module generator, nn.Module discriminator, bool? deferChecks = null)
    {
        _generator = generator;
        _discriminator = discriminator;
        _checkEveryStep = !(deferChecks ?? device.type != DeviceType.CPU);
        _pending = zeros(LossNames.Length, device: device);
    }

    /// <summary>Checks the discriminator's loss at update <paramref name="step"/>.</summary>
    public void CheckDiscriminatorLoss(Tensor loss, int step) => CheckLoss(DiscriminatorSlot, loss, step);

    /// <summary>Checks the generator's loss at update <paramref name="step"/>.</summary>
    public void CheckGeneratorLoss(Tensor loss, int step) => CheckLoss(GeneratorSlot, loss, step);

    /// <summary>
    /// Throws for any non-finite loss accumulated since the last flush, or non-finite weights, up to update
    /// <paramref name="step"/>.
    /// </summary>
    public void Flush(int step)
    {
        if (!_checkEveryStep)
        {
            float[] losses;
            using (NewDisposeScope())
            {
                losses = _pending.cpu().data<float>().ToArray();
                _pending.zero_();
            }
            int bad = Array.FindIndex(losses, value => !float.IsFinite(value));
            if (bad >= 0)
            {
                throw new GanTrainingDivergedException(_firstUnchecked, step, $"{LossNames[bad]} became NaN or infinite");
            }
        }
        RequireFiniteWeights(_discriminator, "the discriminator's weights", step);
        RequireFiniteWeights(_generator, "the generator's weights", step);
        _firstUnchecked = step + 1;
    }

    /// <summary>Forgets pending checks, after a rollback replaced the weights.</summary>
    public void Reset(int step)
    {
        _pending.zero_();
        _firstUnchecked = step + 1;
    }

    public void Dispose() => _pending.Dispose();

    private void CheckLoss(int slot, Tensor loss, int step)
    {
        if (!_checkEveryStep)
        {
            using (no_grad())
            {
                _pending.narrow(0, slot, 1).AddInPlace(loss.detach().reshape(1));
            }
            return;
        }
        float value = loss.item<float>();
        if (!float.IsFinite(value))
        {
            throw new GanTrainingDivergedException(step, step, $"{LossNames[slot]} = {value.ToString(CultureInfo.InvariantCulture)}");
        }
    }

    // One plain sum per network: NaN and infinity survive it (+∞ + −∞ is NaN), so one value tells whether any weight is
    // non-finite.
    private void RequireFiniteWeights(nn.Module network, string name, int step)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor[] sums = network.parameters().Select(parameter => parameter.sum()).ToArray();
        if (sums.Length > 0 && !float.IsFinite(stack(sums).sum().item<float>()))
        {
            throw new GanTrainingDivergedException(_firstUnchecked, step,
                $"{name} became NaN or infinite (a gradient was not finite though the loss was)");
        }
    }
}
