using System;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Torch;

/// <summary>Chooses where tensors live, the way ML.NET's own TorchSharp trainers do.</summary>
internal static class TorchDevice
{
    /// <summary>
    /// CUDA device <paramref name="gpuDeviceId"/> when it is set and CUDA is available; otherwise the CPU, or an error
    /// when <paramref name="fallbackToCpu"/> is false.
    /// </summary>
    public static torch.Device Select(int? gpuDeviceId, bool fallbackToCpu, Action<string>? warn = null)
    {
        if (gpuDeviceId is not int id)
        {
            return torch.CPU;
        }
        if (id < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(gpuDeviceId), id, "MLContext.GpuDeviceId must be ≥ 0.");
        }
        if (torch.cuda.is_available() && id < torch.cuda.device_count())
        {
            // TF32 matrix multiplies and convolutions: what PyTorch users get by default on Ampere and later.
            torch.backends.cuda.matmul.allow_tf32 = true;
            torch.backends.cudnn.allow_tf32 = true;
            return torch.device(DeviceType.CUDA, id);
        }

        string reason = torch.cuda.is_available()
            ? $"CUDA device {id} does not exist (this machine has {torch.cuda.device_count()})"
            : "CUDA is not available (the application references no CUDA backend package such as TorchSharp-cuda-linux, or no GPU/driver was found)";
        if (!fallbackToCpu)
        {
            throw new InvalidOperationException(
                $"MLContext.GpuDeviceId is {id} but {reason}, and MLContext.FallbackToCpu is false. See docs/gpu.md.");
        }
        warn?.Invoke($"MLContext.GpuDeviceId is {id} but {reason}; training on the CPU (FallbackToCpu is true).");
        return torch.CPU;
    }
}
