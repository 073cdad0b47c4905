using System.Net.WebSockets;
using System.Threading.Channels;
using CanvasLearning.Sessions;

namespace CanvasLearning.Realtime;

/// <summary>What the writer of one connection takes next: a control frame, a session event, or a close.</summary>
internal readonly record struct Outgoing(ReadOnlyMemory<byte> Frame, SessionEvent? Event, WebSocketCloseStatus? Close, string? Reason);

/// <summary>
/// One connection's bounded send queue. Publishers never wait on it. Once a connection falls behind
/// (a backlog of an eighth of the capacity), a queued <c>progress_update</c> is replaced by a newer
/// one (its seq is remembered as skipped on purpose); a client that keeps up gets every event. A
/// queue still full is an overflow that closes the connection. Control frames and closes go first.
/// </summary>
internal sealed class SendQueue(int capacity, RealtimeMetrics metrics)
{
    private const int MaxControlFrames = 64;
    private readonly Lock _gate = new();
    private readonly LinkedList<SessionEvent> _events = new();
    private readonly Queue<Outgoing> _control = new();
    private readonly HashSet<long> _collapsed = [];
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
        AllowSynchronousContinuations = false,
    });

    private readonly int _collapseFrom = Math.Max(2, capacity / 8);
    private LinkedListNode<SessionEvent>? _queuedProgress;
    private Outgoing? _close;

    /// <summary>True once a close was asked for.</summary>
    public bool Closing
    {
        get
        {
            lock (_gate)
            {
                return _close is not null;
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _events.Count;
            }
        }
    }

    /// <summary>Queues a live event. False when the queue overflowed: the caller closes the connection.</summary>
    public bool TryEnqueue(SessionEvent e)
    {
        lock (_gate)
        {
            if (_close is not null)
            {
                return true;
            }

            if (e.Type == EventTypes.ProgressUpdate && _queuedProgress is { } older && _events.Count >= _collapseFrom)
            {
                _events.Remove(older);
                _collapsed.Add(older.Value.Seq);
                metrics.Collapsed();
                metrics.QueueChanged(-1);
                _queuedProgress = null;
            }

            if (_events.Count >= capacity)
            {
                return false;
            }

            var node = _events.AddLast(e);
            if (e.Type == EventTypes.ProgressUpdate)
            {
                _queuedProgress = node;
            }

            metrics.QueueChanged(1);
        }

        _wake.Writer.TryWrite(true);
        return true;
    }

    /// <summary>Queues a frame that is not a logged event (pong, ping, error). Extra pongs beyond a small bound are dropped.</summary>
    public void EnqueueControl(ReadOnlyMemory<byte> frame)
    {
        lock (_gate)
        {
            if (_close is null && _control.Count < MaxControlFrames)
            {
                _control.Enqueue(new Outgoing(frame, null, null, null));
            }
        }

        _wake.Writer.TryWrite(true);
    }

    /// <summary>Asks the writer to close after the control frames already queued; events still queued are dropped.</summary>
    public void RequestClose(WebSocketCloseStatus status, string reason, ReadOnlyMemory<byte> before = default)
    {
        lock (_gate)
        {
            if (_close is not null)
            {
                return;
            }

            if (!before.IsEmpty)
            {
                _control.Enqueue(new Outgoing(before, null, null, null));
            }

            _close = new Outgoing(default, null, status, reason);
            metrics.QueueChanged(-_events.Count);
            _events.Clear();
            _queuedProgress = null;
        }

        _wake.Writer.TryWrite(true);
    }

    public async ValueTask<Outgoing> DequeueAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            lock (_gate)
            {
                if (_control.TryDequeue(out var control))
                {
                    return control;
                }

                if (_close is { } close)
                {
                    return close;
                }

                if (_events.First is { } first)
                {
                    _events.RemoveFirst();
                    if (first == _queuedProgress)
                    {
                        _queuedProgress = null;
                    }

                    metrics.QueueChanged(-1);
                    return new Outgoing(default, first.Value, null, null);
                }
            }

            await _wake.Reader.ReadAsync(cancellationToken);
        }
    }

    /// <summary>True (once) when <paramref name="seq"/> was a progress update replaced by a newer one.</summary>
    public bool WasCollapsed(long seq)
    {
        lock (_gate)
        {
            return _collapsed.Remove(seq);
        }
    }

    /// <summary>Drops what is left when the connection ends, so the depth metric stays true.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            metrics.QueueChanged(-_events.Count);
            _events.Clear();
            _control.Clear();
        }
    }
}
