using System;

namespace Microsoft.ML.Gan.Training;

/// <summary>
/// A seeded shuffle pool of training rows (image and class index): rows arrive in data order, and
/// <see cref="TakeRandom"/> hands out a uniformly drawn one, whose slot the next row then fills. Filled to its capacity
/// and drained, it gives a uniform random permutation (Fisher–Yates); smaller, it mixes rows within a sliding window.
/// The order depends only on the seed and the rows, so a streamed epoch can be replayed exactly.
/// </summary>
internal sealed class RowShufflePool
{
    private readonly float[][] _images;
    private readonly long[] _labels;

    // Slot numbers: the first _count hold rows, the rest are free. Taking a row swaps its slot to the free side.
    private readonly int[] _slots;
    private int _count;
    private Random _random = new(0);

    /// <param name="capacity">Rows held at most.</param>
    /// <param name="pixelCount">Floats per image.</param>
    public RowShufflePool(int capacity, int pixelCount)
    {
        _images = new float[capacity][];
        for (int i = 0; i < capacity; i++)
        {
            _images[i] = new float[pixelCount];
        }
        _labels = new long[capacity];
        _slots = new int[capacity];
        for (int i = 0; i < capacity; i++)
        {
            _slots[i] = i;
        }
    }

    /// <summary>Rows held.</summary>
    public int Count => _count;

    public bool IsFull => _count == _slots.Length;

    /// <summary>Empties the pool and restarts its random draws from <paramref name="seed"/>.</summary>
    public void Reset(int seed)
    {
        _count = 0;
        _random = new Random(seed);
    }

    /// <summary>Takes a free slot for the next row; write the row into <see cref="Image"/> and <see cref="Label"/>.</summary>
    public int Add()
    {
        if (IsFull)
        {
            throw new InvalidOperationException("The shuffle pool is full: take a row before adding one.");
        }
        return _slots[_count++];
    }

    /// <summary>Removes a uniformly drawn row and returns its slot, which stays readable until the next <see cref="Add"/>.</summary>
    public int TakeRandom()
    {
        if (_count == 0)
        {
            throw new InvalidOperationException("The shuffle pool is empty.");
        }
        int drawn = _random.Next(_count);
        int slot = _slots[drawn];
        _count--;
        _slots[drawn] = _slots[_count];
        _slots[_count] = slot;
        return slot;
    }

    public Span<float> Image(int slot) => _images[slot];

    public ref long Label(int slot) => ref _labels[slot];
}
