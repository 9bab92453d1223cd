using System;
using System.Runtime.InteropServices;

namespace Microsoft.ML.Gan.Torch;

/// <summary>
/// Keeps glibc's malloc from handing libtorch's activation buffers back to the kernel after every forward and backward
/// pass, which made every training step and every generated batch page-fault its tensors in anew.
/// </summary>
/// <remarks>
/// glibc serves a block above M_MMAP_THRESHOLD (128 KiB at start, raised as such blocks are freed) with fresh mmap
/// pages, and trims the heap's top once more than M_TRIM_THRESHOLD of it is free. A GAN step allocates and frees
/// tensors of a few MB at a time, so with the defaults they come back from the kernel as new, zeroed pages each step.
/// Measured on the 2-core benchmark machine (docs/performance.md): the 28×28 DCGAN generator's forward pass ran at
/// 630–1,750 images/s with the defaults and 7,400–9,000 with the thresholds below; a DCGAN training step was ~20%
/// faster. The cost is that up to <see cref="TrimThreshold"/> of freed memory stays mapped in the process.
/// Process-wide, so applied once, on Linux only, and skipped when the application already chose its own thresholds
/// (MALLOC_MMAP_THRESHOLD_, MALLOC_TRIM_THRESHOLD_ or GLIBC_TUNABLES in the environment) or turns on the AppContext
/// switch <see cref="OptOutSwitch"/>.
/// </remarks>
internal static class NativeHeapTuning
{
    /// <summary>The AppContext switch that leaves malloc's settings alone.</summary>
    public const string OptOutSwitch = "Microsoft.ML.Gan.KeepDefaultNativeHeap";

    /// <summary>glibc's largest allowed mmap threshold on 64-bit systems: blocks up to it are reused from the heap.</summary>
    public const int MmapThreshold = 32 << 20;

    /// <summary>Free memory the heap may keep at its top before it is returned to the kernel.</summary>
    public const int TrimThreshold = 256 << 20;

    private const int MallocTrimThresholdParameter = -1;
    private const int MallocMmapThresholdParameter = -3;

    private static readonly Lazy<string> Outcome = new(() => Apply(
        OperatingSystem.IsLinux(),
        Environment.GetEnvironmentVariable,
        AppContext.TryGetSwitch(OptOutSwitch, out bool optedOut) && optedOut,
        (parameter, value) => mallopt(parameter, value) == 1));

    /// <summary>What happened, for the training log: applied, or why not. Applies the settings on first use.</summary>
    public static string Ensure() => Outcome.Value;

    /// <summary>The decision and the two <c>mallopt</c> calls, with the process's facts passed in so tests can vary them.</summary>
    internal static string Apply(bool isLinux, Func<string, string?> environment, bool optedOut, Func<int, int, bool> setOption)
    {
        if (!isLinux)
        {
            return "native heap: left as is (not Linux)";
        }
        if (optedOut)
        {
            return $"native heap: left as is (AppContext switch {OptOutSwitch})";
        }
        foreach (string variable in new[] { "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "GLIBC_TUNABLES" })
        {
            if (!string.IsNullOrEmpty(environment(variable)))
            {
                return $"native heap: left as is ({variable} is set)";
            }
        }
        try
        {
            bool applied = setOption(MallocMmapThresholdParameter, MmapThreshold) & setOption(MallocTrimThresholdParameter, TrimThreshold);
            return applied
                ? $"native heap: malloc mmap threshold {MmapThreshold >> 20} MiB, trim threshold {TrimThreshold >> 20} MiB, so tensors are reused instead of page-faulted in every step"
                : "native heap: left as is (mallopt refused the thresholds)";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (musl, for one): its allocator has neither the problem nor the call.
            return "native heap: left as is (no glibc mallopt)";
        }
    }

    [DllImport("libc.so.6", EntryPoint = "mallopt")]
    private static extern int mallopt(int parameter, int value);
}
