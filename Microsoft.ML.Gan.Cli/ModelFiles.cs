using System;
using System.Collections.Generic;
using System.IO;
using Microsoft.ML;

namespace Microsoft.ML.Gan.Cli;

/// <summary>Loads model zips written by this library and finds the transformer a command needs, with one-line errors.</summary>
internal static class ModelFiles
{
    /// <summary>Loads <paramref name="path"/> and returns its <typeparamref name="T"/> (alone or inside a chain).</summary>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="ArgumentException">The file is not a Microsoft.ML.Gan model, or holds no <typeparamref name="T"/>.</exception>
    public static T Load<T>(MLContext mlContext, string path, string what)
        where T : class, ITransformer
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No {what} file at '{path}'.", path);
        }

        mlContext.Gan();
        ITransformer loaded;
        try
        {
            loaded = mlContext.Model.Load(path, out _);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or InvalidDataException or System.Reflection.TargetInvocationException)
        {
            throw new ArgumentException($"'{path}' is not a {what} saved by Microsoft.ML.Gan ({Innermost(e).Message})", e);
        }

        if (Find<T>(loaded) is T found)
        {
            return found;
        }

        (loaded as IDisposable)?.Dispose();
        throw new ArgumentException($"'{path}' holds no {what} (it holds {loaded.GetType().Name}).");
    }

    private static T? Find<T>(ITransformer loaded)
        where T : class
    {
        if (loaded is T direct)
        {
            return direct;
        }

        if (loaded is IEnumerable<ITransformer> chain)
        {
            foreach (ITransformer part in chain)
            {
                if (part is T inner)
                {
                    return inner;
                }
            }
        }

        return null;
    }

    private static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);
}
