using System;
using System.Globalization;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Training;

/// <summary>
/// Stops training when a loss or a gradient is NaN or infinite. On the CPU each update is checked at once; on a GPU
/// the checks accumulate on the device and are read at <see cref="Flush"/> (log points and checkpoints), so the GPU is
/// not synchronised every step and a checkpoint is never written from diverged weights.
/// </summary>
internal sealed class DivergenceGuard : IDisposable
{
    private static readonly string[] Names = { "loss_D", "the discriminator's gradients", "loss_G", "the generator's gradients" };

    private readonly bool _checkEveryStep;
    private readonly Tensor _pending;
    private int _firstUnchecked = 1;

    /// <param name="device">Where the losses and gradients live.</param>
    /// <param name="deferChecks">Accumulate checks until <see cref="Flush"/>; null defers them on every device but the CPU.</param>
    public DivergenceGuard(Device device, bool? deferChecks = null)
    {
        _checkEveryStep = !(deferChecks ?? device.type != DeviceType.CPU);
        _pending = zeros(Names.Length, device: device);
    }

    /// <summary>Checks the discriminator's update <paramref name="step"/> after its backward pass.</summary>
    public void CheckDiscriminator(Tensor loss, nn.Module discriminator, int step) => Check(0, loss, discriminator, step);

    /// <summary>Checks the generator's update <paramref name="step"/> after its backward pass.</summary>
    public void CheckGenerator(Tensor loss, nn.Module generator, int step) => Check(2, loss, generator, step);

    /// <summary>Throws for any non-finite value accumulated since the last flush, up to update <paramref name="step"/>.</summary>
    public void Flush(int step)
    {
        if (!_checkEveryStep)
        {
            float[] values;
            using (NewDisposeScope())
            {
                values = _pending.cpu().data<float>().ToArray();
                _pending.zero_();
            }
            int bad = Array.FindIndex(values, value => !float.IsFinite(value));
            if (bad >= 0)
            {
                throw new GanTrainingDivergedException(_firstUnchecked, step, $"{Names[bad]} became NaN or infinite");
            }
        }
        _firstUnchecked = step + 1;
    }

    /// <summary>Forgets pending checks, after a rollback replaced the weights.</summary>
    public void Reset(int step)
    {
        _pending.zero_();
        _firstUnchecked = step + 1;
    }

    public void Dispose() => _pending.Dispose();

    private void Check(int slot, Tensor loss, nn.Module module, int step)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        // One plain sum per network: NaN and infinity survive it (+∞ + −∞ is NaN), so one value tells whether any gradient
        // is non-finite. abs() first would also catch sums of finite values overflowing, but costs a full-size copy of every
        // gradient per update: with it, Fit ran at 0.89 of the bare loop on the MLP.
        Tensor[] gradients = module.parameters().Select(p => p.grad).Where(g => g is not null).Select(g => g!.sum()).ToArray();
        Tensor gradientSum = gradients.Length == 0 ? zeros(1, device: loss.device) : stack(gradients).sum();
        if (!_checkEveryStep)
        {
            _pending.narrow(0, slot, 2).add_(stack(new[] { loss.detach().reshape(Array.Empty<long>()), gradientSum.reshape(Array.Empty<long>()) }));
            return;
        }
        float lossValue = loss.item<float>();
        if (!float.IsFinite(lossValue))
        {
            throw new GanTrainingDivergedException(step, step, $"{Names[slot]} = {lossValue.ToString(CultureInfo.InvariantCulture)}");
        }
        if (!float.IsFinite(gradientSum.item<float>()))
        {
            throw new GanTrainingDivergedException(step, step,
                $"{Names[slot + 1]} contain NaN or infinity ({Names[slot]} = {lossValue.ToString(CultureInfo.InvariantCulture)})");
        }
        _firstUnchecked = step + 1;
    }
}
