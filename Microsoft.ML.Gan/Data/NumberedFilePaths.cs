using System;
using System.Collections;
using System.Collections.Generic;

namespace Microsoft.ML.Gan.Data;

/// <summary>
/// The paths of files <c>first … first + count − 1</c> of an <see cref="ImageFolderWriter"/>, computed when read: a
/// million written images cost no memory for their names.
/// </summary>
internal sealed class NumberedFilePaths : IReadOnlyList<string>
{
    private readonly ImageFolderWriter _writer;
    private readonly long _first;

    public NumberedFilePaths(ImageFolderWriter writer, long first, long count)
    {
        _writer = writer;
        _first = first;
        Count = checked((int)count);
    }

    public int Count { get; }

    public string this[int index] => (uint)index < (uint)Count
        ? _writer.PathOf(_first + index)
        : throw new ArgumentOutOfRangeException(nameof(index), index, $"There are {Count} paths.");

    public IEnumerator<string> GetEnumerator()
    {
        for (int i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
