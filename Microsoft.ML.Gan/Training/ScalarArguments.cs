using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Training;

/// <summary>
/// Tensor arithmetic with a number, holding the libtorch scalar until the call returns.
/// </summary>
/// <remarks>
/// TorchSharp converts a number argument (<c>t * 0.5</c>, <c>t.clamp_min(1e-8)</c>, <c>add_(g, alpha: 0.1)</c>) into a
/// <see cref="Scalar"/> that nothing references once its native handle has been read. A garbage collection started by
/// another thread (a data-loading thread, the host application) can then finalize and free it while libtorch is still
/// reading it: the call fails with "Unknown scalar type" or, worse, reads another value. Every number the library hands
/// to libtorch goes through a scalar it owns and disposes after the call.
/// </remarks>
internal static class ScalarArguments
{
    // Static, so never finalized: the alpha that TorchSharp's own tensor additions would otherwise convert on every call.
    public static readonly Scalar One = 1.ToScalar();

    /// <summary>a + b, as <c>a + b</c> computes it.</summary>
    public static Tensor Plus(this Tensor tensor, Tensor other) => tensor.add(other, One);

    /// <summary>a += b, as <c>add_(b)</c> computes it.</summary>
    public static Tensor AddInPlace(this Tensor tensor, Tensor other) => tensor.add_(other, One);

    public static Tensor Times(this Tensor tensor, double factor)
    {
        using Scalar scalar = factor.ToScalar();
        return tensor.mul(scalar);
    }

    public static Tensor Plus(this Tensor tensor, double value)
    {
        using Scalar scalar = value.ToScalar();
        return tensor.add(scalar, One);
    }

    public static Tensor Minus(this Tensor tensor, double value)
    {
        using Scalar scalar = value.ToScalar();
        return tensor.sub(scalar);
    }

    public static Tensor DividedBy(this Tensor tensor, double divisor)
    {
        using Scalar scalar = divisor.ToScalar();
        return tensor.div(scalar);
    }

    public static Tensor Power(this Tensor tensor, double exponent)
    {
        using Scalar scalar = exponent.ToScalar();
        return tensor.pow(scalar);
    }

    /// <summary>tensor &gt; value element-wise, as a boolean tensor.</summary>
    public static Tensor GreaterThan(this Tensor tensor, double value)
    {
        using Scalar scalar = value.ToScalar();
        return tensor.gt(scalar);
    }

    /// <summary>max(tensor, minimum) element-wise.</summary>
    public static Tensor AtLeast(this Tensor tensor, double minimum)
    {
        using Scalar scalar = minimum.ToScalar();
        return tensor.clamp_min(scalar);
    }

    public static void ClampInPlace(this Tensor tensor, double minimum, double maximum)
    {
        using Scalar low = minimum.ToScalar();
        using Scalar high = maximum.ToScalar();
        tensor.clamp_(low, high);
    }

    public static void FillInPlace(this Tensor tensor, double value)
    {
        using Scalar scalar = value.ToScalar();
        tensor.fill_(scalar);
    }
}
