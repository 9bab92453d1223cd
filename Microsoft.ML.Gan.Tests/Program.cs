using Microsoft.ML.Gan.Tests.TestSupport;

namespace Microsoft.ML.Gan.Tests;

/// <summary>
/// The test assembly doubles as a helper program (GenerateProgramFile is off), so tests can load models in a fresh
/// process with exactly the assemblies under test: see <see cref="FreshProcess"/>.
/// </summary>
internal static class Program
{
    public static int Main(string[] args) => FreshProcess.Run(args);
}
