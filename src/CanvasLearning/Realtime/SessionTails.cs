using CanvasLearning.Sessions;

namespace CanvasLearning.Realtime;

/// <summary>
/// One <see cref="SessionTail"/> per session that has a watcher: the tail is the session's only
/// subscriber on the bus, made with the first connection and dropped with the last.
/// </summary>
internal sealed class SessionTails(IEventBus bus, FanOut fanOut)
{
    private readonly Dictionary<string, SessionTail> _tails = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>The session's tail, subscribed to the bus before this returns; release it with <see cref="Release"/>.</summary>
    public SessionTail Acquire(string sessionId)
    {
        lock (_gate)
        {
            if (!_tails.TryGetValue(sessionId, out var tail))
            {
                tail = new SessionTail(sessionId, fanOut);
                tail.Subscription = bus.Subscribe(sessionId, tail.Append);
                _tails[sessionId] = tail;
            }

            tail.Attached++;
            return tail;
        }
    }

    public void Release(SessionTail tail)
    {
        lock (_gate)
        {
            if (--tail.Attached > 0)
            {
                return;
            }

            _tails.Remove(tail.SessionId);
            tail.Subscription?.Dispose();
        }
    }

    /// <summary>Sessions with a tail now (for tests and metrics).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _tails.Count;
            }
        }
    }
}
