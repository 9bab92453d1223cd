using Microsoft.ML.Gan.Tests.TestData;
using Microsoft.ML.Gan.Tests.TestSupport;

namespace Microsoft.ML.Gan.Tests;

/// <summary>
/// The test assembly doubles as a helper program (GenerateProgramFile is off), so tests can load models in a fresh
/// process with exactly the assemblies under test (see <see cref="FreshProcess"/>), kill a training run
/// (see <see cref="KilledTrainingProcess"/>) or a model save (see <see cref="KilledModelSave"/>), and run the gan tool
/// as a process to signal (see <see cref="GanProcess"/>).
/// </summary>
internal static class Program
{
    public static int Main(string[] args) => args.Length == 0 ? FreshProcess.Run(args) : args[0] switch
    {
        KilledTrainingProcess.Command => KilledTrainingProcess.Run(args),
        KilledModelSave.Command => KilledModelSave.Run(args),
        EarlierVersionFixtures.Command => EarlierVersionFixtures.Run(args),
        GanProcess.Command => Microsoft.ML.Gan.Cli.GanCli.Run(args[1..]),
        _ => FreshProcess.Run(args),
    };
}
