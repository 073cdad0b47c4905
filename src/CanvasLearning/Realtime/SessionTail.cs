using CanvasLearning.Sessions;

namespace CanvasLearning.Realtime;

/// <summary>
/// The recent end of one session's event log, in memory and shared by every connection watching the
/// session: each event is held once (its frame encoded once), and a connection is only a position
/// in it. A connection whose position is older than what the tail holds reads from the log instead.
/// Events arrive from the bus in <c>seq</c> order; a gap (events this process did not see) restarts
/// the tail at the new event, and what lies before it is read from the log.
/// </summary>
internal sealed class SessionTail(string sessionId, FanOut fanOut)
{
    /// <summary>Most events held; older ones are read from the log.</summary>
    public const int Capacity = 1024;

    /// <summary>Most bytes held, whatever the count.</summary>
    public const long MaxBytes = 1 << 20;

    private readonly Lock _gate = new();
    private readonly SessionEvent[] _events = new SessionEvent[Capacity];
    private int _start;
    private int _count;
    private long _firstSeq;
    private long _lastSeq;
    private long _heldBytes;
    private long _totalBytes;
    private long _firstAppended;
    private readonly TailMembers<SessionConnection> _connections = new();
    private int _pumpQueued;
    private long _pumped;

    public string SessionId { get; } = sessionId;

    /// <summary>Connections attached, maintained by <see cref="SessionTails"/> under its lock.</summary>
    internal int Attached { get; set; }

    internal IDisposable? Subscription { get; set; }

    /// <summary>Bytes of every event appended since the tail was made: a connection's backlog is measured against it.</summary>
    public long TotalBytes
    {
        get
        {
            lock (_gate)
            {
                return _totalBytes;
            }
        }
    }

    /// <summary>The seq of the first event ever appended, 0 before any.</summary>
    public long FirstAppendedSeq => Interlocked.Read(ref _firstAppended);

    /// <summary>Called by the bus for each published event of the session; wakes every attached connection.</summary>
    public void Append(SessionEvent e)
    {
        lock (_gate)
        {
            if (e.Seq <= _lastSeq)
            {
                return;
            }

            if (_count > 0 && e.Seq != _lastSeq + 1)
            {
                (_start, _count, _heldBytes) = (0, 0, 0);
                Array.Clear(_events);
            }

            var length = e.Utf8.Length;
            while (_count == Capacity || (_count > 0 && _heldBytes + length > MaxBytes))
            {
                _heldBytes -= _events[_start].Utf8.Length;
                _events[_start] = null!;
                _start = (_start + 1) % Capacity;
                _count--;
                _firstSeq++;
            }

            if (_count == 0)
            {
                _firstSeq = e.Seq;
            }

            _events[(_start + _count) % Capacity] = e;
            _count++;
            _lastSeq = e.Seq;
            _heldBytes += length;
            _totalBytes += length;
            if (_firstAppended == 0)
            {
                Interlocked.Exchange(ref _firstAppended, e.Seq);
            }
        }

        // One pass over the connections for however many events arrive meanwhile: the busier the
        // session, the more frames each connection gets per write.
        if (Interlocked.Exchange(ref _pumpQueued, 1) == 0)
        {
            fanOut.Schedule(this);
        }
    }

    /// <summary>One pass of the fan-out thread: hands every waiting connection what is new, each in one write.</summary>
    public void PumpAll()
    {
        Interlocked.Exchange(ref _pumpQueued, 0);
        var upTo = LastSeq;
        var (slots, used) = _connections.Current;
        for (var i = 0; i < used; i++)
        {
            Volatile.Read(ref slots[i])?.Pump();
        }

        Volatile.Write(ref _pumped, upTo);
    }

    /// <summary>The newest seq that the last completed pass offered every waiting connection.</summary>
    public long PumpedSeq => Volatile.Read(ref _pumped);

    /// <summary>The newest seq appended, 0 before any.</summary>
    public long LastSeq
    {
        get
        {
            lock (_gate)
            {
                return _lastSeq;
            }
        }
    }

    /// <summary>
    /// Writes the frames of the events after <paramref name="after"/> into <paramref name="frames"/>,
    /// oldest first, up to about <paramref name="maxBytes"/>. Returns how many, or -1 when the events
    /// right after <paramref name="after"/> are no longer (or not yet) held here and must be read from
    /// the log. <paramref name="sent"/> describes what was written.
    /// </summary>
    public int CopyFrames(long after, ref FrameBuffer frames, int maxBytes, long liveFrom, out SentBatch sent)
    {
        sent = default;
        lock (_gate)
        {
            if (after >= _lastSeq)
            {
                return 0;
            }

            if (_count == 0 || after + 1 < _firstSeq)
            {
                return -1;
            }

            var skip = (int)(after + 1 - _firstSeq);
            var n = 0;
            var bytes = 0;
            while (skip + n < _count && (n == 0 || bytes + _events[(_start + skip + n) % Capacity].Utf8.Length <= maxBytes))
            {
                bytes += _events[(_start + skip + n) % Capacity].Utf8.Length + 4;
                n++;
            }

            frames.Reserve(bytes + (6 * n));
            long live = 0;
            SessionEvent e = null!;
            for (var i = 0; i < n; i++)
            {
                e = _events[(_start + skip + i) % Capacity];
                frames.AppendText(e.Utf8.Span);
                if (e.Seq >= liveFrom)
                {
                    live += e.Utf8.Length;
                }
            }

            sent = new SentBatch(n, e.Seq, live, e.Type == EventTypes.SessionCompleted);
            return n;
        }
    }

    /// <summary>
    /// Adds a connection to wake on new events. Returns the last seq appended so far (0 when none),
    /// and the total bytes at that moment: what is appended later is live for this connection.
    /// </summary>
    public (long LastSeq, long TotalBytes) Attach(SessionConnection connection)
    {
        lock (_gate)
        {
            _connections.Add(connection);
            return (_lastSeq, _totalBytes);
        }
    }

    public void Detach(SessionConnection connection)
    {
        lock (_gate)
        {
            _connections.Remove(connection);
        }
    }
}
