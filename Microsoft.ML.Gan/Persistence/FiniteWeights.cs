using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Persistence;

/// <summary>Finds NaN or infinite values in a network's parameters and buffers, which no saved model may hold.</summary>
internal static class FiniteWeights
{
    /// <summary>The name of the first floating-point tensor of <paramref name="module"/>'s state holding NaN or ±∞, or null.</summary>
    public static string? FindNonFinite(nn.Module module)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (KeyValuePair<string, Tensor> entry in module.state_dict())
        {
            if (entry.Value.is_floating_point() && !entry.Value.isfinite().all().item<bool>())
            {
                return entry.Key;
            }
        }
        return null;
    }
}
