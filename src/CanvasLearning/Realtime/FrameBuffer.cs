using System.Buffers;
using System.Buffers.Binary;

namespace CanvasLearning.Realtime;

/// <summary>
/// WebSocket text frames (RFC 6455 §5.2, server to client: final, unmasked) written back to back
/// into one pooled buffer, so a connection hands the socket everything due in one write: one
/// flush and one <c>send(2)</c> for many frames. The buffer is rented for one write; call
/// <see cref="Return"/> once it is written.
/// </summary>
internal struct FrameBuffer
{
    private const int MinimumSize = 4096;
    private byte[]? _bytes;

    /// <summary>Bytes written so far.</summary>
    public int Length { get; private set; }

    /// <summary>Frames written so far.</summary>
    public int Count { get; private set; }

    public readonly ReadOnlyMemory<byte> Memory => _bytes.AsMemory(0, Length);

    /// <summary>Appends one text frame carrying <paramref name="payload"/> (UTF-8 JSON).</summary>
    public void AppendText(ReadOnlySpan<byte> payload)
    {
        const int longestHeader = 10;
        Ensure(longestHeader + payload.Length);
        var into = _bytes.AsSpan(Length);
        into[0] = 0x81; // FIN + text
        int header;
        if (payload.Length < 126)
        {
            into[1] = (byte)payload.Length;
            header = 2;
        }
        else if (payload.Length <= ushort.MaxValue)
        {
            into[1] = 126;
            BinaryPrimitives.WriteUInt16BigEndian(into[2..], (ushort)payload.Length);
            header = 4;
        }
        else
        {
            into[1] = 127;
            BinaryPrimitives.WriteUInt64BigEndian(into[2..], (ulong)payload.Length);
            header = 10;
        }

        payload.CopyTo(into[header..]);
        Length += header + payload.Length;
        Count++;
    }

    /// <summary>Makes room for <paramref name="bytes"/> more bytes of payload and headers at once.</summary>
    public void Reserve(int bytes) => Ensure(bytes);

    /// <summary>Gives the buffer back to the pool; the frames are gone.</summary>
    public void Return()
    {
        if (_bytes is { } bytes)
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }

        (_bytes, Length, Count) = (null, 0, 0);
    }

    private void Ensure(int more)
    {
        if (_bytes is not null && _bytes.Length - Length >= more)
        {
            return;
        }

        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(MinimumSize, (Length + more) * 2));
        if (_bytes is { } old)
        {
            old.AsSpan(0, Length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(old);
        }

        _bytes = bigger;
    }
}

/// <summary>
/// What one write carried: how many events, the seq of the last, the bytes of those that were live
/// for the connection (appended after it attached), and whether the last ended the session.
/// </summary>
internal readonly record struct SentBatch(int Count, long LastSeq, long LiveBytes, bool EndsSession);
