using System;
using System.IO;
using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Gan.Persistence;

namespace Microsoft.ML.Gan.Cli;

/// <summary>Loads the model zips the commands' <c>--model</c> and <c>--extractor</c> name, with one-line errors for a missing file or a zip that is not ours.</summary>
internal static class ModelFile
{
    /// <summary>
    /// Loads <paramref name="path"/> and returns its <typeparamref name="TModel"/> (the model itself or a part of a saved
    /// chain); the caller disposes it.
    /// </summary>
    /// <param name="mlContext">The context to load with.</param>
    /// <param name="path">The model zip.</param>
    /// <param name="what">What the command expects, for messages ("model", "image classifier").</param>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="ArgumentException">The file is not a Microsoft.ML.Gan model, or holds no <typeparamref name="TModel"/>.</exception>
    public static TModel Load<TModel>(MLContext mlContext, string path, string what = "model") where TModel : class, ITransformer
    {
        ITransformer loaded = LoadAny(mlContext, path, what);
        return Find<TModel>(loaded) ?? throw NotFound(loaded, path, what);
    }

    /// <summary>
    /// Saves <paramref name="model"/> with <c>mlContext.Model.Save</c> through a temporary file that is renamed over
    /// <paramref name="path"/>: a kill or a full disk during the save leaves the previous model intact.
    /// </summary>
    public static void Save(MLContext mlContext, ITransformer model, DataViewSchema inputSchema, string path) =>
        AtomicFile.Write(path, stream => mlContext.Model.Save(model, inputSchema, stream));

    /// <summary>The O-GAN in <paramref name="path"/>.</summary>
    public static OGanTransformer LoadOGan(MLContext mlContext, string path)
    {
        ITransformer loaded = LoadAny(mlContext, path, "model");
        return Find<OGanTransformer>(loaded) ?? throw NotFound(loaded, path, "O-GAN model (train one with 'gan train --trainer ogan')");
    }

    /// <summary>An encoder saved alone, or the encoder of the O-GAN in <paramref name="path"/>.</summary>
    public static OGanEncoderTransformer LoadEncoder(MLContext mlContext, string path)
    {
        ITransformer loaded = LoadAny(mlContext, path, "model");
        return Find<OGanEncoderTransformer>(loaded) ?? Find<OGanTransformer>(loaded)?.Encoder
            ?? throw NotFound(loaded, path, "O-GAN model or encoder (train one with 'gan train --trainer ogan')");
    }

    private static ITransformer LoadAny(MLContext mlContext, string path, string what)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No {what} file at '{path}'.", path);
        }
        mlContext.Gan();
        try
        {
            return mlContext.Model.Load(path, out _);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or InvalidDataException or TargetInvocationException)
        {
            // A Microsoft.ML.Gan model the library refused (damaged, impossible sizes, NaN weights): its reason, not "not a model".
            if (MlNetBridge.ExplainLoadFailure(e) is InvalidDataException refused)
            {
                throw new ArgumentException($"'{path}' cannot be loaded: {CliErrors.OneLine(refused)}", e);
            }
            throw new ArgumentException($"'{path}' is not a {what} saved by Microsoft.ML.Gan ({CliErrors.OneLine(Innermost(e))})", e);
        }
    }

    private static ArgumentException NotFound(ITransformer loaded, string path, string what)
    {
        string held = loaded.GetType().Name;
        (loaded as IDisposable)?.Dispose();
        return new ArgumentException($"'{path}' holds no {what} (it holds {held}).");
    }

    /// <summary>The <typeparamref name="TModel"/> that <paramref name="loaded"/> is or holds as a part of a chain, or null.</summary>
    public static TModel? Find<TModel>(ITransformer loaded) where TModel : class, ITransformer => GanModelExtensions.Find<TModel>(loaded);

    private static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);
}
