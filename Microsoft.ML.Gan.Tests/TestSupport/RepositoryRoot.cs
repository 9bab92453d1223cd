using System.IO;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.TestSupport;

/// <summary>The clone this test run was built from: the folder holding GanTrainers.sln above the test assembly.</summary>
internal static class RepositoryRoot
{
    /// <summary>The repository's root folder.</summary>
    public static string Find()
    {
        for (DirectoryInfo? folder = new(TestContext.CurrentContext.TestDirectory); folder != null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "GanTrainers.sln")))
                return folder.FullName;
        }
        throw new DirectoryNotFoundException($"No GanTrainers.sln above {TestContext.CurrentContext.TestDirectory}.");
    }
}
