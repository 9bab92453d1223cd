using System;
using TorchSharp;

namespace Microsoft.ML.Gan.Torch;

/// <summary>
/// Checks, before the first tensor is made, that the application carries a TorchSharp native backend, and turns
/// TorchSharp's own failure into a message that names the package to add.
/// </summary>
/// <remarks>
/// Microsoft.ML.Gan references the managed TorchSharp package only, so that the application chooses CPU or CUDA.
/// Without a backend TorchSharp fails on its first native call with a message about libtorch-cpu-linux-x64 (or a
/// <see cref="DllNotFoundException"/> for LibTorchSharp), which does not say which package the application lacks.
/// The probe runs once per process; a failure is rethrown, with the same message, on every later call. A successful probe
/// also tunes the native heap for libtorch's allocation pattern (<see cref="NativeHeapTuning"/>).
/// </remarks>
internal static class TorchBackend
{
    private static readonly Lazy<Exception?> Failure = new(Probe);

    /// <summary>Returns when libtorch is loadable; throws <see cref="InvalidOperationException"/> naming the backend packages otherwise.</summary>
    public static void EnsureAvailable()
    {
        if (Failure.Value is Exception failure)
        {
            throw new InvalidOperationException(
                "Microsoft.ML.Gan needs a TorchSharp native backend: add the package TorchSharp-cpu (or TorchSharp-cuda-linux / " +
                "TorchSharp-cuda-windows) to your application, e.g. 'dotnet add package TorchSharp-cpu --version 0.107.0'. " +
                "If the application already references one, the native library could not be loaded on this machine: on Linux " +
                "with a libstdc++ older than GCC 13 (Debian 12), rebuild so that Microsoft.ML.Gan's build step runs, and delete " +
                "any bin/.../cpu/ folder left by a failed run (see the package README, 'Troubleshooting'). TorchSharp said: " +
                FirstLine(failure.GetBaseException().Message) + " (its full message, with the load trace, is the inner exception)",
                failure);
        }
    }

    private static string FirstLine(string message)
    {
        string trimmed = message.Trim();
        int end = trimmed.IndexOfAny(new[] { '\r', '\n' });
        return end < 0 ? trimmed : trimmed.Substring(0, end);
    }

    private static Exception? Probe()
    {
        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
            NativeHeapTuning.Ensure();
            return null;
        }
        catch (Exception e) when (e is NotSupportedException or DllNotFoundException or EntryPointNotFoundException
                                      or BadImageFormatException or TypeInitializationException)
        {
            return e;
        }
    }
}
