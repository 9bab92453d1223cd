using System;
using Microsoft.ML.Gan.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Training;

/// <summary>
/// The original WGAN's crude Lipschitz constraint (Arjovsky et al. 2017): after each critic step, clamp every
/// parameter to [−limit, limit] (0.01 in the paper).
/// </summary>
internal static class WeightClipping
{
    public static void Clip(nn.Module module, double limit)
    {
        if (module is null) throw new ArgumentNullException(nameof(module));
        if (!(limit > 0) || double.IsInfinity(limit))
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, "The clipping limit must be a positive finite number.");
        }

        using var noGrad = torch.no_grad();
        foreach (var parameter in module.parameters())
        {
            parameter.ClampInPlace(-limit, limit);
        }
    }
}
