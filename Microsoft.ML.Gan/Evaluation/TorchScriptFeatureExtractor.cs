using System;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using Microsoft.ML.Gan.Data;
using Microsoft.ML.Gan.Torch;
using Microsoft.ML.Gan.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Evaluation;

/// <summary>
/// A TorchScript module as a feature extractor. Its output is learned once, from a probe batch, when it is loaded:
/// a tensor [N, D] (features only) or a tuple (features [N, D], logits [N, K]).
/// </summary>
internal sealed class TorchScriptFeatureExtractor : FeatureExtractor
{
    private readonly jit.ScriptModule _module;
    private readonly PixelRange _inputRange;
    private readonly object _sync = new();

    private TorchScriptFeatureExtractor(jit.ScriptModule module, ImageShape shape, PixelRange inputRange, int featureDimension, int classCount)
        : base(shape.Channels, shape.Height, shape.Width, resizesInput: true)
    {
        _module = module;
        _inputRange = inputRange;
        FeatureDimension = featureDimension;
        ClassCount = classCount;
    }

    public override int FeatureDimension { get; }

    public override int ClassCount { get; }

    public static TorchScriptFeatureExtractor Load(string path, ImageShape shape, PixelRange inputRange)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if ((shape.Channels != 1 && shape.Channels != 3) || shape.Height <= 0 || shape.Width <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(shape), shape.ToString(), "A TorchScript extractor reads images with 1 or 3 channels and a positive width and height.");
        }

        if (!Enum.IsDefined(inputRange))
        {
            throw new ArgumentOutOfRangeException(nameof(inputRange), inputRange, "Unknown pixel range.");
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"TorchScript feature extractor file '{Path.GetFullPath(path)}' was not found.", path);
        }

        TorchBackend.EnsureAvailable();
        jit.ScriptModule module;
        try
        {
            module = jit.load(path);
        }
        catch (Exception e) when (e is ExternalException or InvalidOperationException or ArgumentException)
        {
            throw new InvalidDataException($"'{path}' is not a TorchScript module that libtorch can load: {FirstLine(e.Message)}", e);
        }

        try
        {
            module.eval();
            (int features, int classes) = Probe(module, shape, inputRange, path);
            return new TorchScriptFeatureExtractor(module, shape, inputRange, features, classes);
        }
        catch
        {
            module.Dispose();
            throw;
        }
    }

    private protected override (Tensor Features, Tensor? Logits) Forward(Tensor batch)
    {
        lock (_sync)
        {
            return Split(_module.call(ToRange(batch, _inputRange)), string.Empty);
        }
    }

    private protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _module.Dispose();
        }
    }

    private static (int Features, int Classes) Probe(jit.ScriptModule module, ImageShape shape, PixelRange inputRange, string path)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        const int rows = 2;
        object output;
        try
        {
            output = module.call(ToRange(zeros(shape.AsBatchShape(rows)), inputRange));
        }
        catch (Exception e) when (e is ExternalException or InvalidOperationException or ArgumentException or NotImplementedException)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"The TorchScript module '{path}' failed on a batch of {shape} images (channels x height x width): {FirstLine(e.Message)}"), e);
        }

        (Tensor features, Tensor? logits) = Split(output, path);
        return (Columns(features, rows, "features", path), logits is null ? 0 : Columns(logits, rows, "class logits", path));
    }

    private static (Tensor Features, Tensor? Logits) Split(object output, string path) => output switch
    {
        Tensor features => (features, null),
        ValueTuple<Tensor, Tensor> pair => (pair.Item1, pair.Item2),
        _ => throw new InvalidDataException(
            $"The TorchScript module{(path.Length > 0 ? " '" + path + "'" : string.Empty)} returned {output?.GetType().Name ?? "nothing"}; a feature extractor returns a tensor [N, D] or a tuple (features [N, D], logits [N, K])."),
    };

    private static int Columns(Tensor output, int rows, string what, string path)
    {
        if (output.dim() != 2 || output.shape[0] != rows || output.shape[1] < 1)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"The TorchScript module '{path}' returned {what} of shape [{string.Join(", ", output.shape)}] for {rows} images; expected [{rows}, D]."));
        }

        return checked((int)output.shape[1]);
    }

    private static Tensor ToRange(Tensor minusOneToOne, PixelRange range) => range switch
    {
        PixelRange.ZeroToOne => minusOneToOne.Plus(1).Times(0.5),
        PixelRange.ZeroTo255 => minusOneToOne.Plus(1).Times(127.5),
        _ => minusOneToOne,
    };

    private static string FirstLine(string message)
    {
        string trimmed = message.Trim();
        int end = trimmed.IndexOfAny(new[] { '\r', '\n' });
        return end < 0 ? trimmed : trimmed[..end];
    }
}
