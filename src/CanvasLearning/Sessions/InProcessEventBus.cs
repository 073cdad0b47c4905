using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace CanvasLearning.Sessions;

/// <summary>The single-instance bus: subscribers per session, copy-on-write so publishing never locks.</summary>
public sealed class InProcessEventBus : IEventBus
{
    private readonly ConcurrentDictionary<string, ImmutableArray<Action<SessionEvent>>> _subscribers = new(StringComparer.Ordinal);

    public ValueTask PublishAsync(IReadOnlyList<SessionEvent> events, CancellationToken cancellationToken = default)
    {
        foreach (var e in events)
        {
            if (_subscribers.TryGetValue(e.SessionId, out var handlers))
            {
                foreach (var handler in handlers)
                {
                    handler(e);
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    public IDisposable Subscribe(string sessionId, Action<SessionEvent> handler)
    {
        _subscribers.AddOrUpdate(sessionId, _ => [handler], (_, list) => list.Add(handler));
        return new Subscription(this, sessionId, handler);
    }

    private void Unsubscribe(string sessionId, Action<SessionEvent> handler)
    {
        while (_subscribers.TryGetValue(sessionId, out var list))
        {
            var updated = list.Remove(handler);
            var done = updated.IsEmpty
                ? _subscribers.TryRemove(new KeyValuePair<string, ImmutableArray<Action<SessionEvent>>>(sessionId, list))
                : _subscribers.TryUpdate(sessionId, updated, list);
            if (done)
            {
                return;
            }
        }
    }

    private sealed class Subscription(InProcessEventBus bus, string sessionId, Action<SessionEvent> handler) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                bus.Unsubscribe(sessionId, handler);
            }
        }
    }
}
