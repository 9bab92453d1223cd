using System;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Microsoft.ML.Gan.Training;

namespace Microsoft.ML.Gan.Torch;

/// <summary>
/// Recognises libtorch's allocation failures (an <see cref="ExternalException"/> whose message is the C++ error followed
/// by kilobytes of stack frames) and turns them into an <see cref="InsufficientMemoryException"/> with one line that
/// says what was being built and how much memory was asked for.
/// </summary>
internal static partial class LibTorchAllocation
{
    /// <summary>
    /// Runs <paramref name="allocate"/>; an allocation failure inside it becomes an <see cref="InsufficientMemoryException"/>
    /// whose message is <paramref name="context"/>, then the requested size, with the original as the inner exception.
    /// </summary>
    public static T Translate<T>(Func<T> allocate, Func<string> context)
    {
        try
        {
            return allocate();
        }
        catch (ExternalException e) when (IsAllocationFailure(e))
        {
            throw new InsufficientMemoryException($"{context()}. {Describe(e)}", e);
        }
    }

    /// <summary>Whether <paramref name="e"/> is libtorch failing to allocate memory (on the CPU or a CUDA device).</summary>
    public static bool IsAllocationFailure(Exception e) =>
        e is ExternalException && (e.Message.Contains("can't allocate memory", StringComparison.Ordinal)
            || e.Message.Contains("out of memory", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// One line for an allocation failure: the bytes libtorch asked for when its message gives them, never its stack
    /// frames.
    /// </summary>
    public static string Describe(Exception e)
    {
        Match cpu = CpuRequest().Match(e.Message);
        if (cpu.Success && double.TryParse(cpu.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out double bytes))
        {
            return $"libtorch could not allocate {TrainingMemory.Format(bytes)} at once (one tensor); the machine's memory is {TrainingMemory.Format(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes)}.";
        }

        Match cuda = CudaRequest().Match(e.Message);
        return cuda.Success
            ? $"libtorch ran out of GPU memory trying to allocate {cuda.Groups[1].Value}."
            : "libtorch could not allocate the memory it needed.";
    }

    [GeneratedRegex(@"you tried to allocate (\d+) bytes")]
    private static partial Regex CpuRequest();

    [GeneratedRegex(@"Tried to allocate ([0-9.]+ [KMGT]?i?B)")]
    private static partial Regex CudaRequest();
}
