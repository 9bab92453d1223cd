using System;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Torch;

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

    public static Tensor Times(this Tensor tensor, double factor) => Held(tensor, factor, static (t, s) => t.mul(s));

    public static Tensor Plus(this Tensor tensor, double value) => Held(tensor, value, static (t, s) => t.add(s, One));

    public static Tensor Minus(this Tensor tensor, double value) => Held(tensor, value, static (t, s) => t.sub(s));

    public static Tensor DividedBy(this Tensor tensor, double divisor) => Held(tensor, divisor, static (t, s) => t.div(s));

    public static Tensor Power(this Tensor tensor, double exponent) => Held(tensor, exponent, static (t, s) => t.pow(s));

    /// <summary>tensor &gt; value element-wise, as a boolean tensor.</summary>
    public static Tensor GreaterThan(this Tensor tensor, double value) => Held(tensor, value, static (t, s) => t.gt(s));

    /// <summary>max(tensor, minimum) element-wise.</summary>
    public static Tensor AtLeast(this Tensor tensor, double minimum) => Held(tensor, minimum, static (t, s) => t.clamp_min(s));

    public static void ClampInPlace(this Tensor tensor, double minimum, double maximum)
    {
        using Scalar low = minimum.ToScalar();
        using Scalar high = maximum.ToScalar();
        tensor.clamp_(low, high);
    }

    public static void FillInPlace(this Tensor tensor, double value) => Held(tensor, value, static (t, s) => t.fill_(s));

    // The one place a number becomes a scalar: disposing it after the call is what keeps it alive during the call.
    private static Tensor Held(Tensor tensor, double value, Func<Tensor, Scalar, Tensor> operation)
    {
        using Scalar scalar = value.ToScalar();
        return operation(tensor, scalar);
    }
}
