using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.ML.Gan.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Training;

/// <summary>
/// Stops training when a loss or a network's weights become NaN or infinite. Every update's loss is checked: on the CPU
/// at once; on a GPU the checks accumulate on the device and are read at <see cref="Flush"/>, so the GPU is not
/// synchronised every step. <see cref="Flush"/> (log points, checkpoints, the last update) also checks both networks'
/// weights, so a checkpoint or a returned model never holds diverged weights. Finite blow-ups (<see cref="BlowUpDetector"/>:
/// weights at <see cref="Flush"/>, losses and saturation at <see cref="CheckRecord"/>) are an error or a warning, as
/// <see cref="GanTrainer.Options.FiniteDivergence"/> says.
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
    private readonly FiniteDivergenceHandling _handling;
    private readonly BlowUpDetector _blowUps;
    private readonly Action<string> _warn;
    private readonly double _initialGeneratorNorm;
    private readonly double _initialDiscriminatorNorm;
    // Symptoms already warned about: a warning repeats only after its symptom went away and came back.
    private readonly HashSet<string> _warned = new();
    // The first update since the last Flush: the range a non-finite weight (or a deferred loss) may come from.
    private int _firstUnchecked = 1;

    /// <param name="device">Where the losses and weights live.</param>
    /// <param name="generator">The generator, whose weights <see cref="Flush"/> checks.</param>
    /// <param name="discriminator">The discriminator, whose weights <see cref="Flush"/> checks.</param>
    /// <param name="loss">The loss trained, which sets the finite limits of <see cref="BlowUpDetector"/>.</param>
    /// <param name="handling">What a finite blow-up does.</param>
    /// <param name="warn">Writes a warning, for <see cref="FiniteDivergenceHandling.Warning"/>.</param>
    /// <param name="deferChecks">Accumulate loss checks until <see cref="Flush"/>; null defers them on every device but the CPU.</param>
    /// <remarks>The networks' weights now are the reference of weight growth: construct the guard before any update or resume.</remarks>
    public DivergenceGuard(Device device, nn.Module generator, nn.Module discriminator, GanLoss loss, FiniteDivergenceHandling handling,
        Action<string> warn, bool? deferChecks = null)
    {
        _generator = generator;
        _discriminator = discriminator;
        _checkEveryStep = !(deferChecks ?? device.type != DeviceType.CPU);
        _pending = zeros(LossNames.Length, device: device);
        _handling = handling;
        _blowUps = new BlowUpDetector(loss);
        _warn = warn;
        _initialGeneratorNorm = Norm(generator);
        _initialDiscriminatorNorm = Norm(discriminator);
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
        CheckWeights(_discriminator, "the discriminator's weights", _initialDiscriminatorNorm, step);
        CheckWeights(_generator, "the generator's weights", _initialGeneratorNorm, step);
        _firstUnchecked = step + 1;
    }

    /// <summary>
    /// Checks a log point's finite record, which averages the <paramref name="updates"/> generator updates up to its step,
    /// for losses beyond their kind's limit and for a saturated discriminator.
    /// </summary>
    public void CheckRecord(GanTrainingRecord record, int updates)
    {
        if (_handling == FiniteDivergenceHandling.Ignore)
        {
            return;
        }
        int first = record.Step - updates + 1;
        Report("loss", _blowUps.CheckLosses(record), first, record.Step);
        string? saturation = _blowUps.CheckSaturation(record, updates, out int saturatedFrom);
        Report("saturation", saturation, saturatedFrom, record.Step);
    }

    /// <summary>Forgets pending checks and any saturated stretch, after a rollback replaced the weights.</summary>
    public void Reset(int step)
    {
        _pending.zero_();
        _blowUps.Reset();
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

    private void CheckWeights(nn.Module network, string name, double initialNorm, int step)
    {
        double norm = Norm(network);
        if (!double.IsFinite(norm) && !AllFinite(network))
        {
            throw new GanTrainingDivergedException(_firstUnchecked, step,
                $"{name} became NaN or infinite (a gradient was not finite though the loss was)");
        }
        if (_handling != FiniteDivergenceHandling.Ignore)
        {
            Report(name, BlowUpDetector.CheckWeightGrowth(name, norm, initialNorm), _firstUnchecked, step);
        }
    }

    // Throws for Error; for Warning, warns once per appearance of the symptom.
    private void Report(string symptom, string? finding, int firstStep, int lastStep)
    {
        if (finding == null)
        {
            _warned.Remove(symptom);
            return;
        }
        if (_handling == FiniteDivergenceHandling.Error)
        {
            throw new GanTrainingDivergedException(firstStep, lastStep, finding);
        }
        if (_warned.Add(symptom))
        {
            _warn(GanTrainingDivergedException.Describe(firstStep, lastStep, finding) + " Training goes on, since FiniteDivergence is Warning.");
        }
    }

    // The L2 norm of all weights, from one norm per tensor: NaN and infinity survive it, so one value also tells whether
    // any weight is non-finite. The per-tensor norms are combined in double, where weights far beyond float's square root
    // do not overflow.
    private static double Norm(nn.Module network)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor[] norms = network.parameters().Select(parameter => parameter.norm()).ToArray();
        if (norms.Length == 0)
        {
            return 0;
        }
        return Math.Sqrt(stack(norms).cpu().to(float64).data<double>().ToArray().Sum(norm => norm * norm));
    }

    // Only when the norm is not finite: weights near float's limit overflow the norm while each stays finite.
    private static bool AllFinite(nn.Module network)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return network.parameters().All(parameter => parameter.isfinite().all().item<bool>());
    }
}
