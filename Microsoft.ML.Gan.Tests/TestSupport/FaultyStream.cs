using System;
using System.IO;

namespace Microsoft.ML.Gan.Tests.TestSupport;

/// <summary>A write-only stream over a real file that calls <c>onLimit</c> when the bytes written would pass a limit (to simulate a full disk, or a cancellation mid-write).</summary>
internal sealed class FaultyStream : Stream
{
    private readonly Stream _inner;
    private readonly long _limit;
    private readonly Action _onLimit;
    private long _written;
    private bool _fired;

    public FaultyStream(Stream inner, long limit, Action onLimit)
    {
        _inner = inner;
        _limit = limit;
        _onLimit = onLimit;
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _written;

    public override long Position { get => _written; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count)
    {
        if (!_fired && _written + count > _limit)
        {
            _fired = true;
            _onLimit();
        }
        _inner.Write(buffer, offset, count);
        _written += count;
    }

    public override void Flush() => _inner.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
