using System;
using Microsoft.ML.Gan.Data;
using Microsoft.ML.Gan.Persistence;
using Microsoft.ML.Runtime;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Training;

/// <summary>
/// What every trainer's <c>Fit</c> sets up before its networks exist: the ML.NET host and channel, the device, the seed,
/// cancellation, and the training images read into one tensor.
/// </summary>
internal sealed class TrainingSession : IDisposable
{
    private readonly string _activity;

    /// <param name="context">The MLContext: its GPU settings, log and cancellation flag.</param>
    /// <param name="trainerName">The host name, which is the log source.</param>
    /// <param name="activity">What is trained, for the channel and messages ("GAN", "O-GAN", "conditional GAN").</param>
    /// <param name="seed">The options' seed; null takes one from the MLContext.</param>
    public TrainingSession(MLContext context, string trainerName, string activity, int? seed)
    {
        TorchBackend.EnsureAvailable();
        _activity = activity;
        IHost host = ((IHostEnvironment)context).Register(trainerName);
        Channel = host.Start($"Training {activity}");
        Device = TorchDevice.Select(context.GpuDeviceId, context.FallbackToCpu, message => Channel.Warning(MessageSensitivity.None, message));
        Seed = seed ?? host.Rand.Next();
        Channel.Info(MessageSensitivity.None, NativeHeapTuning.Ensure());
        IsCanceled = () => MlNetBridge.IsCanceled(host);
    }

    public IChannel Channel { get; }

    public Device Device { get; }

    public int Seed { get; }

    public Func<bool> IsCanceled { get; }

    /// <summary>Throws <see cref="OperationCanceledException"/> once the MLContext's execution is cancelled.</summary>
    public void ThrowIfCanceled()
    {
        if (IsCanceled())
        {
            throw new OperationCanceledException($"{char.ToUpperInvariant(_activity[0])}{_activity[1..]} training was cancelled while reading the training data.");
        }
    }

    /// <summary>Reads every image of <paramref name="input"/>; a GAN needs at least two.</summary>
    public Tensor ReadImages(ImageColumnReader reader, IDataView input, string columnName)
    {
        Tensor images = reader.ReadAll(input, ThrowIfCanceled);
        if (images.shape[0] < 2)
        {
            long count = images.shape[0];
            images.Dispose();
            throw new ArgumentException($"Column '{columnName}' holds {count} image(s); a GAN needs at least 2 to train.", nameof(input));
        }
        return images;
    }

    public void Dispose() => Channel.Dispose();
}
