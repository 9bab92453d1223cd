using System;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Torch;

/// <summary>
/// Switches libtorch's oneDNN (MKL-DNN) CPU convolutions off for the residual networks once they have been seen to
/// return NaN or wrong values on this machine, so that training and generation fall back to libtorch's own kernels.
/// </summary>
/// <remarks>
/// Measured on a 2-vCPU AMD EPYC VM with AVX-512 (libtorch 2.10, oneDNN 3.7.1), 2026-12-04: the JIT convolutions oneDNN
/// picks for the ResNet's 3×3, stride-1 layers (1 to 48 channels) returned NaN in the forward or the backward pass of
/// 16 to 25 of 25 passes through the networks, and finite but wrong values in others, with ONEDNN_MAX_CPU_ISA unset or
/// AVX2, and none with SSE41 or with oneDNN switched off; the DCGAN's layers never did. TorchSharp 0.107 exposes no
/// switch for it, so this calls <c>at::Context::setUserEnabledMkldnn</c>, the flag behind PyTorch's
/// <c>torch.backends.mkldnn.enabled</c>, from libtorch_cpu; where that symbol is not found (another libtorch build,
/// Windows) <see cref="IsAvailable"/> is false and nothing changes. libtorch reads the flag whenever a convolution runs, forward or backward (the backward picks its
/// kernels anew), so the training loop holds <see cref="Scope"/> over all its updates; generation has no backward.
/// </remarks>
internal static class OneDnnConvolutions
{
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate IntPtr GlobalContextFunction();

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    [return: MarshalAs(UnmanagedType.U1)]
    private delegate bool GetEnabledFunction(IntPtr context);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void SetEnabledFunction(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    private sealed record Switch(IntPtr Context, GetEnabledFunction Get, SetEnabledFunction Set);

    private static readonly Lazy<Switch?> Native = new(Bind);
    private static readonly object Gate = new();

    /// <summary>Whether this libtorch's oneDNN switch was found.</summary>
    public static bool IsAvailable => Native.Value is not null;

    /// <summary>libtorch's flag as it stands (null where the switch was not found).</summary>
    public static bool? Enabled => Native.Value is Switch native ? native.Get(native.Context) : null;

    // Two sets of correct float32 kernels differ by rounding, far below this; the faulty ones by percents, or give NaN.
    private const double Tolerance = 1e-3;

    private enum Verdict
    {
        Unknown,
        Trusted,
        Avoided,
    }

    private static volatile Verdict _verdict;

    /// <summary>Whether oneDNN's convolutions have been found faulty in this process and are avoided from now on.</summary>
    public static bool Avoided => _verdict == Verdict.Avoided;

    /// <summary>Whether no eval-mode pass has yet shown oneDNN right or wrong in this process (see <see cref="Forward"/>).</summary>
    public static bool Undecided => _verdict == Verdict.Unknown;

    /// <summary>From now on, in this process, the residual networks run without oneDNN (see <see cref="Scope"/>).</summary>
    public static void Avoid() => _verdict = Verdict.Avoided;

    /// <summary>For tests: back to oneDNN's convolutions, not yet compared.</summary>
    internal static void ResetForTests() => _verdict = Verdict.Unknown;

    /// <summary>Until disposed of, oneDNN is off if it is avoided (or if <paramref name="force"/>); otherwise nothing changes.</summary>
    public static IDisposable Scope(bool force = false) =>
        (force || Avoided) && Native.Value is Switch native ? new Disabled(native) : NoChange.Instance;

    /// <summary>
    /// Whether a result computed with oneDNN is finite and agrees with the same computation without it (relative
    /// difference of the whole tensor at most 1e-3).
    /// </summary>
    public static bool Agree(Tensor withOneDnn, Tensor withoutOneDnn)
    {
        if (!AllFinite(withOneDnn))
        {
            return false;
        }
        using var difference = withOneDnn - withoutOneDnn;
        using var differenceNorm = difference.norm();
        using var norm = withoutOneDnn.norm();
        return differenceNorm.item<float>() <= Tolerance * Math.Max(norm.item<float>(), 1e-12f);
    }

    /// <summary>
    /// Runs a residual network's forward pass. In eval mode on the CPU, the first pass in the process is also computed
    /// without oneDNN and compared, and a non-finite output from finite input is recomputed without it; where oneDNN is
    /// at fault, it stays off for these networks in this process.
    /// </summary>
    public static Tensor Forward(Tensor input, bool training, Func<Tensor> forward)
    {
        Tensor output;
        using (Scope())
        {
            output = forward();
        }
        Verdict verdict = _verdict;
        // Once oneDNN is trusted, a finite output costs one reduction and nothing more.
        if (training || verdict == Verdict.Avoided || !IsAvailable || input.device_type != DeviceType.CPU
            || (verdict == Verdict.Trusted && AllFinite(output)) || !AllFinite(input))
        {
            return output;
        }

        Tensor withoutOneDnn;
        using (Scope(force: true))
        {
            withoutOneDnn = forward();
        }
        if (!AllFinite(withoutOneDnn))
        {
            withoutOneDnn.Dispose();
            return output;
        }
        if (Agree(output, withoutOneDnn))
        {
            _verdict = Verdict.Trusted;
            withoutOneDnn.Dispose();
            return output;
        }
        output.Dispose();
        Avoid();
        return withoutOneDnn;
    }

    private static bool AllFinite(Tensor tensor)
    {
        using var finite = tensor.isfinite();
        using var all = finite.all();
        return all.item<bool>();
    }

    private static Switch? Bind()
    {
        if (!NativeLibrary.TryLoad("libtorch_cpu", typeof(TorchSharp.torch).Assembly, null, out IntPtr library)
            || !NativeLibrary.TryGetExport(library, "_ZN2at13globalContextEv", out IntPtr globalContext)
            || !NativeLibrary.TryGetExport(library, "_ZNK2at7Context17userEnabledMkldnnEv", out IntPtr get)
            || !NativeLibrary.TryGetExport(library, "_ZN2at7Context20setUserEnabledMkldnnEb", out IntPtr set))
        {
            return null;
        }
        IntPtr context = Marshal.GetDelegateForFunctionPointer<GlobalContextFunction>(globalContext)();
        return new Switch(context, Marshal.GetDelegateForFunctionPointer<GetEnabledFunction>(get), Marshal.GetDelegateForFunctionPointer<SetEnabledFunction>(set));
    }

    // Restores what the flag was, so an application that switched oneDNN off itself keeps it off.
    private sealed class Disabled : IDisposable
    {
        private readonly Switch _native;
        private readonly bool _before;

        public Disabled(Switch native)
        {
            _native = native;
            lock (Gate)
            {
                _before = native.Get(native.Context);
                native.Set(native.Context, false);
            }
        }

        public void Dispose()
        {
            lock (Gate)
            {
                _native.Set(_native.Context, _before);
            }
        }
    }

    private sealed class NoChange : IDisposable
    {
        public static readonly NoChange Instance = new();

        public void Dispose()
        {
        }
    }
}
