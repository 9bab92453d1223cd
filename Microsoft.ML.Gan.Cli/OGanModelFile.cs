using System;
using System.Collections.Generic;
using System.IO;
using Microsoft.ML;

namespace Microsoft.ML.Gan.Cli;

/// <summary>Loads the O-GAN (or its encoder) from a model file, for the encode, reconstruct and interpolate commands.</summary>
internal static class OGanModelFile
{
    /// <summary>The whole O-GAN; the file may hold it alone or inside a chain.</summary>
    public static OGanTransformer LoadOGan(MLContext mlContext, string path) =>
        Find<OGanTransformer>(Load(mlContext, path), path)
        ?? throw new ArgumentException($"'{path}' holds no O-GAN model (train one with 'gan train --trainer ogan').");

    /// <summary>The encoder: an O-GAN's, or one saved alone.</summary>
    public static OGanEncoderTransformer LoadEncoder(MLContext mlContext, string path)
    {
        ITransformer loaded = Load(mlContext, path);
        return Find<OGanEncoderTransformer>(loaded, path) ?? Find<OGanTransformer>(loaded, path)?.Encoder
            ?? throw new ArgumentException($"'{path}' holds no O-GAN model or encoder (train one with 'gan train --trainer ogan').");
    }

    private static ITransformer Load(MLContext mlContext, string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No model file at '{path}'.", path);
        }
        mlContext.Gan();
        try
        {
            return mlContext.Model.Load(path, out _);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or InvalidDataException or System.Reflection.TargetInvocationException)
        {
            throw new ArgumentException($"'{path}' is not a model saved by Microsoft.ML.Gan ({Innermost(e).Message})", e);
        }
    }

    private static T? Find<T>(ITransformer loaded, string path) where T : class, ITransformer
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
