using Microsoft.ML.Gan.Tests.TestSupport;

namespace Microsoft.ML.Gan.Tests;

/// <summary>
/// The test assembly doubles as a helper program (GenerateProgramFile is off), so tests can load models in a fresh
/// process with exactly the assemblies under test (see <see cref="FreshProcess"/>) and kill a training run
/// (see <see cref="KilledTrainingProcess"/>).
/// </summary>
internal static class Program
{
    public static int Main(string[] args) =>
        args.Length > 0 && args[0] == KilledTrainingProcess.Command ? KilledTrainingProcess.Run(args) : FreshProcess.Run(args);
}
