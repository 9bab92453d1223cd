using System;
using System.IO;
using Microsoft.ML.Gan;

namespace Microsoft.ML.Gan.Benchmarks;

/// <summary>How long each measurement runs: <c>--quick</c> (about a minute in all) or the full run.</summary>
internal sealed record BenchmarkSettings(
    bool Quick,
    int Repeats,
    int DcganSteps,
    int MlpSteps,
    int GradientPenaltyDcganSteps,
    int MemoryFirstStep,
    int MemoryLastStep,
    int GenerateImages,
    int GenerateMemoryImages,
    string DataPath)
{
    /// <summary><c>--architecture Mlp|Dcgan</c>: the training comparison for that network only; null for both.</summary>
    public GanArchitecture? Architecture { get; init; }

    public const int BatchSize = 64;
    public const int Seed = 1234;

    public static BenchmarkSettings FromArguments(string[] args)
    {
        bool quick = BenchmarkArguments.Flag(args, "--quick");
        string data = FindData(args, quick);
        BenchmarkSettings settings = quick
            ? new BenchmarkSettings(true, Repeats: 3, DcganSteps: 8, MlpSteps: 120, GradientPenaltyDcganSteps: 4,
                MemoryFirstStep: 100, MemoryLastStep: 500, GenerateImages: 5_000, GenerateMemoryImages: 10_000, data)
            : new BenchmarkSettings(false, Repeats: 5, DcganSteps: 40, MlpSteps: 600, GradientPenaltyDcganSteps: 20,
                MemoryFirstStep: 100, MemoryLastStep: 2_000, GenerateImages: 20_000, GenerateMemoryImages: 100_000, data);
        // More interleaved pairs steady a ratio when the host's speed drifts between runs (±30 % seen on the build VM).
        string? architecture = BenchmarkArguments.String(args, "--architecture");
        return settings with
        {
            Repeats = BenchmarkArguments.Int(args, "--repeats", settings.Repeats),
            MlpSteps = BenchmarkArguments.Int(args, "--mlp-steps", settings.MlpSteps),
            Architecture = architecture is null ? null : Enum.Parse<GanArchitecture>(architecture, ignoreCase: true),
        };
    }

    // --data PATH; else the 60k Fashion-MNIST training set if installed (full runs only: every Fit reads the whole set);
    // else the 10k test set in the repository.
    private static string FindData(string[] args, bool quick)
    {
        if (BenchmarkArguments.String(args, "--data") is string given)
        {
            return given;
        }

        const string installed = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz";
        if (!quick && File.Exists(installed))
        {
            return installed;
        }

        for (string? dir = AppContext.BaseDirectory; dir != null; dir = Path.GetDirectoryName(dir))
        {
            string candidate = Path.Combine(dir, "data", "fashion-mnist", "t10k-images-idx3-ubyte.gz");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("Fashion-MNIST not found: pass --data PATH to an IDX images file (.gz or raw).");
    }
}
