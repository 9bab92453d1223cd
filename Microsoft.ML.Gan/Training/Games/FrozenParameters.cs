using System;
using System.Collections.Generic;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Training;

/// <summary>
/// Takes a module's trainable parameters out of autograd until disposed: a graph built meanwhile still carries
/// gradients through the module's activations, but computes none for its weights.
/// </summary>
internal readonly struct FrozenParameters : IDisposable
{
    private readonly List<Parameter> _frozen;

    private FrozenParameters(List<Parameter> frozen) => _frozen = frozen;

    /// <summary>Freezes every parameter of <paramref name="module"/> that requires a gradient now.</summary>
    public static FrozenParameters Of(nn.Module module)
    {
        var frozen = new List<Parameter>();
        foreach (Parameter parameter in module.parameters())
        {
            if (parameter.requires_grad)
            {
                parameter.requires_grad_(false);
                frozen.Add(parameter);
            }
        }
        return new FrozenParameters(frozen);
    }

    /// <summary>Lets the frozen parameters require gradients again.</summary>
    public void Dispose()
    {
        foreach (Parameter parameter in _frozen)
        {
            parameter.requires_grad_(true);
        }
    }
}
