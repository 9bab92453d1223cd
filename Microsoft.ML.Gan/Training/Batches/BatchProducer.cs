using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace Microsoft.ML.Gan.Training;

/// <summary>
/// One epoch's background reader: a thread runs the reading function, which fills pooled <see cref="StreamedBatch"/>
/// buffers and publishes them to a bounded queue, while the training thread takes them in order and gives them back.
/// Whatever the reader throws is rethrown on the training thread by <see cref="Take"/>; <see cref="Dispose"/> stops the
/// reader and waits for its thread, so no reading outlives the epoch.
/// </summary>
internal sealed class BatchProducer : IDisposable
{
    private readonly BlockingCollection<StreamedBatch> _free = new();
    private readonly BlockingCollection<StreamedBatch> _ready;
    private readonly CancellationTokenSource _stop = new();
    private readonly Action<BatchProducer> _read;
    private readonly Thread _thread;
    private Exception? _failure;
    private bool _disposed;

    /// <param name="buffers">The buffers to fill, all free; at least two more than <paramref name="capacity"/> keep the reader busy while one batch is taken.</param>
    /// <param name="capacity">Batches that may wait, read, for the training thread.</param>
    /// <param name="read">Reads the epoch on the background thread, with <see cref="Rent"/> and <see cref="Publish"/>.</param>
    public BatchProducer(IEnumerable<StreamedBatch> buffers, int capacity, Action<BatchProducer> read)
    {
        foreach (StreamedBatch buffer in buffers)
        {
            _free.Add(buffer);
        }
        _ready = new BlockingCollection<StreamedBatch>(capacity);
        _read = read;
        _thread = new Thread(Run) { IsBackground = true, Name = "Microsoft.ML.Gan training data reader" };
        _thread.Start();
    }

    /// <summary>Reader side: a free buffer, waiting for the training thread to give one back if needed.</summary>
    /// <exception cref="OperationCanceledException">The producer is being disposed.</exception>
    public StreamedBatch Rent() => _free.Take(_stop.Token);

    /// <summary>Reader side: hands a filled buffer to the training thread, waiting while the queue is full.</summary>
    /// <exception cref="OperationCanceledException">The producer is being disposed.</exception>
    public void Publish(StreamedBatch batch) => _ready.Add(batch, _stop.Token);

    /// <summary>Training side: the next batch, in the order published; give it back with <see cref="Return"/> once copied.</summary>
    /// <exception cref="InvalidOperationException">The reader ended without this batch.</exception>
    /// <remarks>Rethrows, with its own type and stack, the exception that stopped the reader.</remarks>
    public StreamedBatch Take()
    {
        if (_ready.TryTake(out StreamedBatch? batch, Timeout.Infinite))
        {
            return batch;
        }
        if (_failure != null)
        {
            ExceptionDispatchInfo.Throw(_failure);
        }
        throw new InvalidOperationException("The training data reader ended before the epoch's last batch.");
    }

    /// <summary>Training side: gives a buffer back for the reader to refill.</summary>
    public void Return(StreamedBatch batch) => _free.Add(batch);

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _stop.Cancel();
        _thread.Join();
        _ready.Dispose();
        _free.Dispose();
        _stop.Dispose();
    }

    private void Run()
    {
        try
        {
            _read(this);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Dispose stopped the reader: the training thread no longer wants batches.
        }
        catch (Exception e)
        {
            _failure = e;
        }
        finally
        {
            _ready.CompleteAdding();
        }
    }
}
