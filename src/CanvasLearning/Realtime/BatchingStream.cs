using System.Buffers;
using Microsoft.AspNetCore.Http.Features;

namespace CanvasLearning.Realtime;

/// <summary>
/// The upgraded connection's stream, able to hold the frames the WebSocket writes while
/// <see cref="Cork"/>ed and hand them to the server in one write (one flush, one <c>send(2)</c>)
/// at <see cref="UncorkAsync"/>. Uncorked it writes through. The WebSocket's own frames (its
/// keep-alive pings, pongs, closes) go the same way, and no two writes reach the server at once.
/// Nothing is held between batches: the buffer is rented for one batch.
/// </summary>
internal sealed class BatchingStream(Stream inner) : Stream
{
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _writing = new(1, 1);
    private byte[]? _buffer;
    private int _length;
    private bool _corked;

    public override bool CanRead => inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>From now until <see cref="UncorkAsync"/>, writes are kept for one write.</summary>
    public void Cork()
    {
        lock (_gate)
        {
            _corked = true;
        }
    }

    /// <summary>Writes what was kept since <see cref="Cork"/>, in one write, and writes through again.</summary>
    public async ValueTask UncorkAsync(CancellationToken cancellationToken)
    {
        byte[]? held;
        int length;
        lock (_gate)
        {
            _corked = false;
            (held, length, _buffer, _length) = (_buffer, _length, null, 0);
        }

        if (held is null)
        {
            return;
        }

        try
        {
            await WriteThroughAsync(held.AsMemory(0, length), cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(held);
        }
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_corked)
            {
                Append(buffer.Span);
                return ValueTask.CompletedTask;
            }
        }

        return WriteThroughAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _writing.WaitAsync(cancellationToken);
        try
        {
            await inner.FlushAsync(cancellationToken);
        }
        finally
        {
            _writing.Release();
        }
    }

    public override void Flush() => FlushAsync(CancellationToken.None).GetAwaiter().GetResult();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_gate)
            {
                if (_buffer is { } held)
                {
                    (_buffer, _length) = (null, 0);
                    ArrayPool<byte>.Shared.Return(held);
                }
            }

            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private async ValueTask WriteThroughAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        await _writing.WaitAsync(cancellationToken);
        try
        {
            await inner.WriteAsync(buffer, cancellationToken);
        }
        finally
        {
            _writing.Release();
        }
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (_buffer is null || _buffer.Length - _length < bytes.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(16 * 1024, (_length + bytes.Length) * 2));
            if (_buffer is { } old)
            {
                old.AsSpan(0, _length).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(old);
            }

            _buffer = bigger;
        }

        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }
}

/// <summary>
/// Gives the WebSocket a <see cref="BatchingStream"/> over the upgraded connection. Set before the
/// WebSocket middleware runs (it reads this feature when the request arrives); the endpoint finds
/// the stream here after the handshake.
/// </summary>
internal sealed class BatchingUpgradeFeature(IHttpUpgradeFeature inner) : IHttpUpgradeFeature
{
    public bool IsUpgradableRequest => inner.IsUpgradableRequest;

    public BatchingStream? Stream { get; private set; }

    public async Task<Stream> UpgradeAsync()
    {
        Stream = new BatchingStream(await inner.UpgradeAsync());
        return Stream;
    }
}
