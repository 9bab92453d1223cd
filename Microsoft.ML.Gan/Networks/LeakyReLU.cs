using System;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Networks;

/// <summary>
/// max(x, slope·x), holding its slope as a libtorch scalar for the module's lifetime. TorchSharp's own LeakyReLU converts
/// the slope on every call into a scalar that a garbage collection on another thread can free while libtorch reads it
/// (see <see cref="Torch.ScalarArguments"/>).
/// </summary>
internal sealed class LeakyReLU : nn.Module<Tensor, Tensor>
{
    private readonly Scalar _slope;

    public LeakyReLU(double slope) : base(nameof(LeakyReLU))
    {
        _slope = slope.ToScalar();
    }

    public override Tensor forward(Tensor input)
    {
        Tensor output = input.leaky_relu(_slope);
        GC.KeepAlive(_slope);
        return output;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _slope.Dispose();
        }
        base.Dispose(disposing);
    }
}
