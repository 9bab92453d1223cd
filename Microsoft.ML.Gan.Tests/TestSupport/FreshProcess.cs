using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Tests.Persistence;
using Microsoft.ML.Transforms.Image;

namespace Microsoft.ML.Gan.Tests.TestSupport;

/// <summary>
/// Loads a saved model in a fresh process: the test assembly itself, run as a program with
/// <c>load-model MODEL.zip INPUT.idv OUTPUT.idv [--no-register | --catalog-load] [COLUMN ...]</c>.
/// </summary>
/// <remarks>
/// The child registers the loaders (and the test payload kinds), loads MODEL.zip with <c>mlContext.Model.Load</c>
/// on a new MLContext, transforms INPUT.idv (ML.NET's binary format, <c>mlContext.Data.SaveAsBinary</c>) and writes
/// the given COLUMNs (all non-hidden columns when none are given; image columns as their pixels) to OUTPUT.idv. On failure it prints the exception
/// chain to standard error and exits with 1. <c>--no-register</c> skips the registration; <c>--catalog-load</c> loads
/// with <c>mlContext.Gan().LoadModel</c> alone, the documented way, instead.
/// </remarks>
internal static class FreshProcess
{
    public const string LoadModelCommand = "load-model";

    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    /// <summary>Runs the load in a child process and waits for it (at most two minutes).</summary>
    public static Result LoadModel(string modelPath, string inputPath, string outputPath, bool register = true, params string[] columns) =>
        Start(modelPath, inputPath, outputPath, register ? Array.Empty<string>() : new[] { NoRegister }, columns);

    /// <summary>Runs the load in a child process that calls only <c>mlContext.Gan().LoadModel</c>.</summary>
    public static Result LoadModelThroughCatalog(string modelPath, string inputPath, string outputPath, params string[] columns) =>
        Start(modelPath, inputPath, outputPath, new[] { CatalogLoad }, columns);

    private const string NoRegister = "--no-register";
    private const string CatalogLoad = "--catalog-load";

    private static Result Start(string modelPath, string inputPath, string outputPath, string[] flags, string[] columns)
    {
        using Process process = TestAssemblyProcess.Start(null, new[] { LoadModelCommand, modelPath, inputPath, outputPath }.Concat(flags).Concat(columns).ToArray());
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The fresh-process load of '{modelPath}' did not finish in two minutes.");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>The child's side: see the class remarks.</summary>
    public static int Run(string[] args)
    {
        string[] options = args.Where(a => a.StartsWith("--", StringComparison.Ordinal)).ToArray();
        string[] positional = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
        if (positional.Length < 4 || positional[0] != LoadModelCommand || options.Any(o => o != NoRegister && o != CatalogLoad))
        {
            Console.Error.WriteLine($"usage: {LoadModelCommand} MODEL.zip INPUT.idv OUTPUT.idv [--no-register | --catalog-load] [COLUMN ...]");
            return 2;
        }

        try
        {
            var mlContext = new MLContext(seed: 1);
            if (!options.Contains(NoRegister) && !options.Contains(CatalogLoad))
            {
                // The library's loaders and kinds come from mlContext.Gan(); the test kinds are added here.
                ScaleTransformer.RegisterPayloadKinds();
                mlContext.Gan();
            }

            ITransformer model = options.Contains(CatalogLoad)
                ? mlContext.Gan().LoadModel(positional[1], out _)
                : mlContext.Model.Load(positional[1], out _);
            IDataView input = mlContext.Data.LoadFromBinary(positional[2]);
            IDataView output = model.Transform(input);
            string[] columns = positional.Length > 4
                ? positional.Skip(4).ToArray()
                : output.Schema.Where(c => !c.IsHidden).Select(c => c.Name).ToArray();
            // Images cannot be written to ML.NET's binary format: their pixels are written instead, under the same name.
            foreach (string imageColumn in columns.Where(name => output.Schema[name].Type is ImageDataViewType))
            {
                output = mlContext.Transforms.ExtractPixels(imageColumn, imageColumn).Fit(output).Transform(output);
            }
            IDataView selected = mlContext.Transforms.SelectColumns(columns).Fit(output).Transform(output);
            using (FileStream stream = File.Create(positional[3]))
                mlContext.Data.SaveAsBinary(selected, stream);
            (model as IDisposable)?.Dispose();
            Console.WriteLine($"Loaded {model.GetType().Name} and wrote {string.Join(", ", columns)}.");
            return 0;
        }
        catch (Exception e)
        {
            for (Exception? current = e; current is not null; current = current.InnerException)
                Console.Error.WriteLine($"{current.GetType().FullName}: {current.Message}");
            return 1;
        }
    }
}
