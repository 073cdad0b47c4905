namespace CanvasLearning.Realtime;

internal sealed partial class SessionConnection
{
    // Who may write to the socket now. The writer owns it (Writing) until it has nothing to do and
    // parks; a parked connection is taken by the fan-out thread's pass (Pumping) for the new events, or
    // given back to the writer by a wake (a control frame, a close) or by the pump when the socket
    // did not take a write at once. Done: the writer has ended and nobody writes any more.
    private const int Parked = 0;
    private const int Writing = 1;
    private const int Pumping = 2;
    private const int Done = 3;

    private int _state = Writing;
    private Handover? _handover;

    /// <summary>
    /// Called by the fan-out thread's pass over the session after new events: a parked connection is sent every event due
    /// in one write, on the fan-out thread, as long as the socket takes it at once. Anything else (a
    /// control frame waiting, a position behind the tail, a write not taken) goes back to the writer.
    /// </summary>
    public void Pump()
    {
        if (Interlocked.CompareExchange(ref _state, Pumping, Parked) != Parked)
        {
            return;
        }

        while (true)
        {
            if (Outbox.HasPriority || _sent < _known)
            {
                HandToWriter(null);
                return;
            }

            var frames = default(FrameBuffer);
            var count = tail.CopyFrames(_sent, ref frames, MaxBatchBytes, LiveFrom, out var batch);
            if (count < 0)
            {
                HandToWriter(null);
                return;
            }

            if (count == 0)
            {
                if (Park(Pumping))
                {
                    return;
                }

                continue;
            }

            ValueTask write;
            try
            {
                write = stream.WriteAsync(frames.Memory, CancellationToken.None);
            }
            catch (Exception ex)
            {
                write = ValueTask.FromException(ex);
            }

            if (!write.IsCompletedSuccessfully)
            {
                HandToWriter(new Handover(frames, batch, write));
                return;
            }

            frames.Return();
            Sent(batch);
            if (_ended)
            {
                // The session is over: the writer closes the connection.
                HandToWriter(null);
                return;
            }
        }
    }

    /// <summary>A control frame or a close is waiting: a parked writer is woken for it.</summary>
    internal void Wake()
    {
        if (Interlocked.CompareExchange(ref _state, Writing, Parked) == Parked)
        {
            Outbox.Signal();
        }
    }

    /// <summary>
    /// Gives the socket up, from <paramref name="owner"/>, to the pump and to wakes. True when it is
    /// parked (or the writer has ended); false when work came in meanwhile and the caller keeps the
    /// socket. Whoever sees new work first takes the socket, so no work is left waiting.
    /// </summary>
    private bool Park(int owner)
    {
        if (Interlocked.CompareExchange(ref _state, Parked, owner) != owner)
        {
            return true;
        }

        var work = Outbox.HasPriority || tail.LastSeq > _sent || _known > _sent;
        return !work || Interlocked.CompareExchange(ref _state, owner, Parked) != Parked;
    }

    /// <summary>The pump gives the socket back to the writer, with the write the socket did not take at once.</summary>
    private void HandToWriter(Handover? handover)
    {
        if (Interlocked.CompareExchange(ref _state, Writing, Pumping) == Pumping)
        {
            _handover = handover;
            Outbox.Signal();
        }
        else
        {
            handover?.Frames.Return();
        }
    }

    /// <summary>The writer has ended: nothing writes to the socket any more.</summary>
    private void Retire()
    {
        Interlocked.Exchange(ref _state, Done);
        if (_handover is { } left)
        {
            _handover = null;
            left.Frames.Return();
        }
    }

    /// <summary>Events from this seq on were appended after the connection attached: they count against its backlog.</summary>
    private long LiveFrom => _liveAfter >= 0 ? _liveAfter + 1 : tail.FirstAppendedSeq is > 0 and var first ? first : long.MaxValue;

    /// <summary>A write the pump started that the socket did not take at once: the writer finishes it.</summary>
    private sealed record Handover(FrameBuffer Frames, SentBatch Batch, ValueTask Write);
}
