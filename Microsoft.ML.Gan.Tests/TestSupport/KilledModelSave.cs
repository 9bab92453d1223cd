using System;
using System.Diagnostics;
using Microsoft.ML.Gan.Cli;

namespace Microsoft.ML.Gan.Tests.TestSupport;

/// <summary>
/// A process that saves a model over the same path again and again, as <c>gan train</c> saves model.zip, until it is
/// killed with SIGKILL: the kill lands in the middle of a write (the test assembly run as <c>save-model-until-killed
/// MODEL.zip OUT.zip</c>).
/// </summary>
internal static class KilledModelSave
{
    public const string Command = "save-model-until-killed";
    private const string Saved = "saved";

    /// <summary>Starts the child, lets it finish <paramref name="saves"/> saves of <paramref name="model"/> over <paramref name="output"/>, and kills it during the next.</summary>
    public static void SaveAndKill(string model, string output, int saves)
    {
        using Process process = TestAssemblyProcess.Start(null, Command, model, output);
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            for (int i = 0; i < saves; i++)
            {
                if (process.StandardOutput.ReadLine() != Saved)
                {
                    process.WaitForExit(10_000);
                    throw new InvalidOperationException($"The saving child exited ({process.ExitCode}) after {i} saves: {stderr.Result}");
                }
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(30_000);
        }
    }

    /// <summary>The child's side: loads MODEL once, then saves it over OUT in a loop, announcing each save.</summary>
    public static int Run(string[] args)
    {
        var mlContext = new MLContext(seed: 1);
        mlContext.Gan();
        ITransformer model = mlContext.Model.Load(args[1], out DataViewSchema schema);
        while (true)
        {
            ModelFile.Save(mlContext, model, schema, args[2]);
            Console.WriteLine(Saved);
            Console.Out.Flush();
        }
    }
}
