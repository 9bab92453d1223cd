using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.InteropServices;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Data;
using Microsoft.ML.Gan.Training.Checkpoints;
using Microsoft.ML.Transforms.Image;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Training;

/// <summary>
/// Training rows read from the IDataView again every epoch, never held whole: a <see cref="BatchProducer"/> walks a
/// cursor in data order, shuffles the rows through a <see cref="RowShufflePool"/> seeded from the run's shuffle
/// generator, and fills pooled batch buffers ahead of the training step; each batch is copied into a tensor on the
/// training device when the step asks for it.
/// </summary>
/// <remarks>
/// The cursor is never asked to shuffle: data order makes an epoch's order depend only on the seed, and a bad row's
/// position in error messages is its position in the data. Resuming mid-epoch replays the epoch's order and drops
/// the batches already trained on.
/// </remarks>
internal sealed class StreamingBatchSource : TrainingBatchSource
{
    // Rows between cancellation checks while fingerprinting, and labels hashed at once.
    private const int LabelChunk = 1024;

    private readonly IDataView _data;
    private readonly ImageColumnReader _images;
    private readonly LabelColumnReader? _labels;
    private readonly Device _device;
    private readonly Func<bool> _isCanceled;
    private readonly int _prefetch;
    private readonly int _pixelCount;
    private readonly long[] _imageShape;
    private readonly RowShufflePool _pool;
    private readonly StreamedBatch[] _buffers;
    private BatchProducer? _producer;
    private long _current;
    private Tensor? _heldImages;
    private Tensor? _heldLabels;

    /// <param name="data">The training data, giving the same rows in the same order on every pass.</param>
    /// <param name="images">The image column's reader, its input scale already known.</param>
    /// <param name="labels">For conditional games, the label column's reader; null otherwise.</param>
    /// <param name="count">The number of rows, counted beforehand.</param>
    /// <param name="classCounts">For conditional games: the rows of each class index.</param>
    /// <param name="options">Batch size, prefetch depth and shuffle pool size.</param>
    /// <param name="device">The training device.</param>
    /// <param name="isCanceled">The MLContext's cancellation flag, read by the reader before each row.</param>
    public StreamingBatchSource(IDataView data, ImageColumnReader images, LabelColumnReader? labels, long count,
        IReadOnlyList<long>? classCounts, GanTrainer.Options options, Device device, Func<bool> isCanceled)
        : base(count, options.BatchSize, classCounts)
    {
        _data = data;
        _images = images;
        _labels = labels;
        _device = device;
        _isCanceled = isCanceled;
        _prefetch = options.PrefetchBatches;
        _pixelCount = images.Shape.PixelCount;
        _imageShape = images.Shape.AsBatchShape(BatchSize);
        PoolSize = (int)Math.Min(options.ShufflePoolSize, count);
        _pool = new RowShufflePool(PoolSize, _pixelCount);
        // One buffer being filled and one being copied to the device, besides those waiting in the queue.
        _buffers = Enumerable.Range(0, _prefetch + 2).Select(_ => new StreamedBatch(BatchSize, _pixelCount, labels != null)).ToArray();
    }

    /// <summary>Rows in the shuffle pool: <see cref="GanTrainer.Options.ShufflePoolSize"/>, or all rows when there are fewer.</summary>
    public int PoolSize { get; }

    public override IEnumerable<KeyValuePair<string, string>> OrderSettings
    {
        get
        {
            yield return new KeyValuePair<string, string>(nameof(GanTrainer.Options.DataLoading), nameof(TrainingDataMode.Streaming));
            yield return new KeyValuePair<string, string>(nameof(GanTrainer.Options.ShufflePoolSize), PoolSize.ToString(CultureInfo.InvariantCulture));
        }
    }

    public override void StartEpoch(TrainingState state) => StartEpoch(state.EpochShuffleSeed(), state.Batch);

    /// <summary>Starts reading an epoch whose order <paramref name="seed"/> draws, from batch <paramref name="firstBatch"/> on.</summary>
    public void StartEpoch(int seed, long firstBatch)
    {
        EndEpoch();
        _current = firstBatch - 1;
        _producer = new BatchProducer(_buffers, _prefetch, output => ReadEpoch(output, seed, firstBatch));
    }

    public override TrainingBatch Batch(long index)
    {
        if (index != _current + 1 || _producer is null)
        {
            throw new InvalidOperationException($"Streamed batches come in order within a started epoch: batch {index} was asked for after batch {_current}.");
        }
        StreamedBatch next = _producer.Take();
        try
        {
            ReleaseHeld();
            _heldImages = Upload(next.Images, _imageShape, ScalarType.Float32);
            _heldLabels = next.Labels is null ? null : Upload(next.Labels, new long[] { BatchSize }, ScalarType.Int64);
        }
        finally
        {
            _producer.Return(next);
        }
        _current = index;
        return new TrainingBatch(_heldImages!, _heldLabels);
    }

    public override void EndEpoch()
    {
        _producer?.Dispose();
        _producer = null;
        ReleaseHeld();
    }

    public override void Dispose() => EndEpoch();

    // Runs on the producer's thread: only this method touches the cursor, the pool and the buffers being filled.
    private void ReadEpoch(BatchProducer output, int seed, long firstBatch)
    {
        (DataViewRowCursor cursor, Action<Span<float>> readImage, Func<long>? readLabel) = OpenCursor();
        using DataViewRowCursor _ = cursor;

        long rowsInBatches = BatchesPerEpoch * BatchSize;
        long emitted = 0, read = 0;
        StreamedBatch? filling = null;
        _pool.Reset(seed);
        while (emitted < rowsInBatches && cursor.MoveNext())
        {
            if (_isCanceled())
            {
                throw new OperationCanceledException(string.Format(CultureInfo.InvariantCulture,
                    "Training was cancelled while reading row {0} of the training data.", read));
            }
            if (++read > Count)
            {
                throw ChangedData(read);
            }
            if (_pool.IsFull)
            {
                Emit(_pool.TakeRandom());
            }
            int slot = _pool.Add();
            readImage(_pool.Image(slot));
            if (readLabel != null)
            {
                _pool.Label(slot) = readLabel();
            }
        }
        while (emitted < rowsInBatches && _pool.Count > 0)
        {
            Emit(_pool.TakeRandom());
        }
        if (emitted < rowsInBatches)
        {
            throw ChangedData(read);
        }

        // Batches before firstBatch were trained on before a resume: their rows are drawn, to keep the order, and dropped.
        void Emit(int slot)
        {
            long batch = emitted / BatchSize;
            int row = (int)(emitted % BatchSize);
            emitted++;
            if (batch < firstBatch)
            {
                return;
            }
            filling ??= output.Rent();
            _pool.Image(slot).CopyTo(filling.Images.AsSpan(row * _pixelCount, _pixelCount));
            if (filling.Labels != null)
            {
                filling.Labels[row] = _pool.Label(slot);
            }
            if (row == BatchSize - 1)
            {
                output.Publish(filling);
                filling = null;
            }
        }
    }

    /// <summary>One pass over the data in data order, hashing each row exactly as an epoch reads it.</summary>
    public override DataFingerprint Fingerprint()
    {
        (DataViewRowCursor cursor, Action<Span<float>> readImage, Func<long>? readLabel) = OpenCursor();
        using DataViewRowCursor _ = cursor;
        using var builder = new DataFingerprintBuilder(readLabel != null);
        var image = new float[_pixelCount];
        var labels = new long[LabelChunk];
        long read = 0;
        while (cursor.MoveNext())
        {
            if (read % LabelChunk == 0 && _isCanceled())
            {
                throw new OperationCanceledException(string.Format(CultureInfo.InvariantCulture,
                    "Training was cancelled while fingerprinting row {0} of the training data.", read));
            }
            if (++read > Count)
            {
                throw ChangedData(read);
            }
            readImage(image);
            builder.AddImages(MemoryMarshal.AsBytes(image.AsSpan()));
            if (readLabel != null)
            {
                labels[(read - 1) % LabelChunk] = readLabel();
                if (read % LabelChunk == 0)
                {
                    builder.AddLabels(MemoryMarshal.AsBytes(labels.AsSpan()));
                }
            }
        }
        if (read < Count)
        {
            throw ChangedData(read);
        }
        if (readLabel != null && read % LabelChunk != 0)
        {
            builder.AddLabels(MemoryMarshal.AsBytes(labels.AsSpan(0, (int)(read % LabelChunk))));
        }
        return builder.Finish();
    }

    private (DataViewRowCursor Cursor, Action<Span<float>> ReadImage, Func<long>? ReadLabel) OpenCursor()
    {
        DataViewSchema.Column imageColumn = _data.Schema[_images.ColumnName];
        var columns = new List<DataViewSchema.Column> { imageColumn };
        if (imageColumn.Type is ImageDataViewType)
        {
            // The file paths LoadImages read ride along, so that an unreadable image's error can name its file.
            columns.AddRange(UnreadableImageRow.TextColumns(_data.Schema));
        }
        if (_labels != null)
        {
            columns.Add(_data.Schema[_labels.Column.Name]);
        }
        DataViewRowCursor cursor = _data.GetRowCursor(columns);
        try
        {
            Action<Span<float>> readImage = _images.CreateRowReader(cursor);
            Func<long>? readLabel = _labels is null ? null : LabelColumnReader.CreateRowReader(cursor, cursor.Schema[_labels.Column.Name], _labels.KeyType);
            return (cursor, readImage, readLabel);
        }
        catch
        {
            cursor.Dispose();
            throw;
        }
    }

    private InvalidOperationException ChangedData(long read) => new(string.Format(CultureInfo.InvariantCulture,
        "The training data gave {0}{1} rows in this pass but {2} when it was counted before training; streaming reads the IDataView " +
        "every epoch and needs the same rows each time (or set DataLoading = InMemory).", read < Count ? string.Empty : "at least ", read, Count));

    // Held outside every dispose scope: the generator's step reuses the discriminator's batch, in another scope.
    private Tensor Upload<T>(T[] values, long[] shape, ScalarType type) where T : unmanaged
    {
        using (NewDisposeScope())
        {
            Tensor host = empty(shape, type);
            host.bytes = MemoryMarshal.AsBytes(values.AsSpan());
            return host.to(_device).DetachFromDisposeScope();
        }
    }

    private void ReleaseHeld()
    {
        _heldImages?.Dispose();
        _heldLabels?.Dispose();
        _heldImages = null;
        _heldLabels = null;
    }
}
