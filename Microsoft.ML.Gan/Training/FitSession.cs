using System;
using System.Globalization;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Data;
using Microsoft.ML.Gan.Persistence;
using Microsoft.ML.Gan.Torch;
using Microsoft.ML.Gan.Training.Checkpoints;
using Microsoft.ML.Runtime;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Training;

/// <summary>
/// What every trainer's <c>Fit</c> sets up before its networks exist: the ML.NET host and channel, the device, the seed,
/// cancellation, the checkpoint folder, held until the session ends, and the training data, read into one tensor or
/// streamed (<see cref="TrainingDataMode"/>).
/// </summary>
internal sealed class FitSession : IDisposable
{
    private readonly string _activity;
    private CheckpointDirectoryLock? _checkpointLock;

    /// <param name="context">The MLContext: its GPU settings, log and cancellation flag.</param>
    /// <param name="trainerName">The host name, which is the log source.</param>
    /// <param name="activity">What is trained, for the channel and messages ("GAN", "O-GAN", "conditional GAN").</param>
    /// <param name="seed">The options' seed; null takes one from the MLContext.</param>
    public FitSession(MLContext context, string trainerName, string activity, int? seed)
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

    /// <summary>
    /// Opens the training rows of <paramref name="input"/> as <see cref="GanTrainer.Options.DataLoading"/> asks: read into
    /// memory or streamed, with the class labels of <paramref name="labelReader"/> for conditional games. Logs which and
    /// why. Rejects data with fewer than two images, or labels that do not match the images, before training starts.
    /// First, before any data is read, it takes <see cref="GanTrainer.Options.CheckpointDirectory"/> for this run until
    /// the session ends, and refuses a run that resumes nothing when the folder already holds checkpoints.
    /// </summary>
    /// <param name="input">The training data.</param>
    /// <param name="reader">The image column's reader.</param>
    /// <param name="labelReader">The label column's reader for conditional games; null otherwise.</param>
    /// <param name="options">The trainer's options.</param>
    public TrainingBatchSource OpenTrainingData(IDataView input, ImageColumnReader reader, LabelColumnReader? labelReader, GanTrainer.Options options)
    {
        if (options.CheckpointDirectory is { } directory)
        {
            _checkpointLock = CheckpointDirectoryLock.Acquire(directory);
            if (options.ResumeFrom == null)
            {
                CheckpointStore.RequireNoCheckpoints(directory);
            }
        }
        if (options.DataLoading == TrainingDataMode.InMemory)
        {
            return ReadIntoMemory(input, reader, labelReader, options);
        }
        long rows = CountRows(input);
        DataLoadingPlan plan = DataLoadingPlan.Choose(options.DataLoading, rows, reader.Shape, options.MaxInMemoryBytes);
        if (!plan.Streams)
        {
            return ReadIntoMemory(input, reader, labelReader, options);
        }
        Channel.Info(MessageSensitivity.None, plan.Reason);
        if (rows == 0)
        {
            throw reader.NoRows();
        }
        RequireTwoImages(rows, options.ImageColumnName);
        reader.LearnInputScale(input, ThrowIfCanceled);
        long[]? classCounts = null;
        if (labelReader != null)
        {
            classCounts = labelReader.CountClasses(input, ThrowIfCanceled);
            RequireLabelPerImage(labelReader, classCounts.Sum(), rows);
        }
        var source = new StreamingBatchSource(input, reader, labelReader, rows, classCounts, options, Device, IsCanceled);
        Channel.Info(MessageSensitivity.None, string.Format(CultureInfo.InvariantCulture,
            "Streaming: a shuffle pool of {0} rows, up to {1} batches read ahead.", source.PoolSize, options.PrefetchBatches));
        return source;
    }

    private InMemoryBatchSource ReadIntoMemory(IDataView input, ImageColumnReader reader, LabelColumnReader? labelReader, GanTrainer.Options options)
    {
        Tensor images = reader.ReadAll(input, ThrowIfCanceled);
        try
        {
            long rows = images.shape[0];
            RequireTwoImages(rows, options.ImageColumnName);
            Channel.Info(MessageSensitivity.None, DataLoadingPlan.Choose(options.DataLoading, rows, reader.Shape, options.MaxInMemoryBytes).Reason);
            if (labelReader is null)
            {
                return new InMemoryBatchSource(images, labels: null, options.BatchSize, classCounts: null, Device);
            }
            long[] classes = labelReader.ReadAll(input, ThrowIfCanceled);
            RequireLabelPerImage(labelReader, classes.Length, rows);
            return new InMemoryBatchSource(images, tensor(classes, new long[] { classes.Length }), options.BatchSize,
                labelReader.CountClasses(classes), Device);
        }
        catch
        {
            images.Dispose();
            throw;
        }
    }

    // A cursor with no active column only counts rows: image files are not opened, pixels not converted.
    private long CountRows(IDataView input)
    {
        if (input.GetRowCount() is long known)
        {
            return known;
        }
        using DataViewRowCursor cursor = input.GetRowCursor(Enumerable.Empty<DataViewSchema.Column>());
        long rows = 0;
        while (cursor.MoveNext())
        {
            if (rows++ % 1024 == 0)
            {
                ThrowIfCanceled();
            }
        }
        return rows;
    }

    private static void RequireTwoImages(long rows, string columnName)
    {
        if (rows < 2)
        {
            throw new ArgumentException($"Column '{columnName}' holds {rows} image(s); a GAN needs at least 2 to train.", "input");
        }
    }

    private static void RequireLabelPerImage(LabelColumnReader labelReader, long labels, long images)
    {
        if (labels != images)
        {
            throw new InvalidOperationException(
                $"Column '{labelReader.Column.Name}' gave {labels} labels but the image column gave {images} images; every row needs both.");
        }
    }

    public void Dispose()
    {
        _checkpointLock?.Dispose();
        Channel.Dispose();
    }
}
