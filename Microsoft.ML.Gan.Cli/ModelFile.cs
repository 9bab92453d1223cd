using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using Microsoft.ML;

namespace Microsoft.ML.Gan.Cli;

/// <summary>Loads the model.zip a command's <c>--model</c> names, with a clear error for a missing file or a zip that is not ours.</summary>
internal static class ModelFile
{
    /// <summary>
    /// Loads <paramref name="path"/> and returns the first transformer of type <typeparamref name="TModel"/> in it (the
    /// model itself or a part of a saved chain); the caller disposes it.
    /// </summary>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="ArgumentException">The file is not an ML.NET model, or holds no <typeparamref name="TModel"/>.</exception>
    public static TModel Load<TModel>(MLContext mlContext, string path) where TModel : class, ITransformer
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No model file at '{path}'.", path);
        }
        mlContext.Gan();
        ITransformer loaded;
        try
        {
            loaded = mlContext.Model.Load(path, out _);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or InvalidDataException or TargetInvocationException)
        {
            throw new ArgumentException($"'{path}' is not a model saved by Microsoft.ML.Gan ({CliErrors.OneLine(Innermost(e))})", e);
        }
        return Find<TModel>(loaded) ?? throw new ArgumentException($"'{path}' holds no {typeof(TModel).Name} (it holds {loaded.GetType().Name}).");
    }

    private static TModel? Find<TModel>(ITransformer loaded) where TModel : class, ITransformer
    {
        if (loaded is TModel model)
        {
            return model;
        }
        if (loaded is IEnumerable<ITransformer> chain)
        {
            foreach (ITransformer part in chain)
            {
                if (part is TModel inner)
                {
                    return inner;
                }
            }
        }
        return null;
    }

    private static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);
}
