using Microsoft.ML.Gan.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Networks;

/// <summary>A residual block: residual(x) + shortcut(x), the two branches given by the block that derives from it.</summary>
internal abstract class ResidualBlock : nn.Module<Tensor, Tensor>
{
    // Field names = key prefixes of the saved weights ("residual.conv1.weight", "shortcut.conv.weight", ...): keep them stable.
    private readonly Sequential residual;
    private readonly Sequential shortcut;

    protected ResidualBlock(string name, Sequential residual, Sequential shortcut)
        : base(name)
    {
        this.residual = residual;
        this.shortcut = shortcut;

        // Explicit order (reflection's field order is not guaranteed): it fixes the order of parameters() for the
        // optimiser and of the saved entries.
        register_module(nameof(residual), residual);
        register_module(nameof(shortcut), shortcut);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var main = residual.call(input);
        using var skip = shortcut.call(input);
        return main.Plus(skip);
    }
}
