using System.Collections.Concurrent;
using System.Net.WebSockets;
using Microsoft.Extensions.Options;

namespace CanvasLearning.Realtime;

/// <summary>
/// The open connections: the caps on them, the list shutdown walks, and the one timer of the
/// server that ticks every connection once a second (pings, idle and slow-client deadlines), made
/// with the registry, so before any connection exists.
/// </summary>
internal sealed class ConnectionRegistry : IDisposable
{
    private static readonly TimeSpan TickPeriod = TimeSpan.FromSeconds(1);
    private readonly IOptions<RealtimeOptions> _options;
    private readonly RealtimeMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ITimer _timer;

    // Each open connection with what completes when it is removed. Its whole life counts, from
    // TryAdd to Remove: shutdown must wait for a connection that is still being set up (reading its
    // snapshot, sending `connected`, replaying the log) just as for one already running, or it would
    // stop waiting at once and cut that connection's close handshake short (a reset, not 1012).
    private readonly ConcurrentDictionary<SessionConnection, TaskCompletionSource> _open = new();
    private readonly ConcurrentDictionary<string, int> _perSession = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private int _total;
    private bool _stopping;

    public ConnectionRegistry(IOptions<RealtimeOptions> options, RealtimeMetrics metrics, TimeProvider time)
    {
        (_options, _metrics, _time) = (options, metrics, time);
        _timer = time.CreateTimer(_ => Tick(), null, TickPeriod, TickPeriod);
    }

    /// <summary>Counts the connection in, unless a cap is reached or the server is stopping. Returns the close to send when refused.</summary>
    public (WebSocketCloseStatus Code, string Reason)? TryAdd(SessionConnection connection)
    {
        lock (_gate)
        {
            if (_stopping)
            {
                return (CloseCodes.ServiceRestart, "server shutting down");
            }

            if (_total >= _options.Value.MaxConnections)
            {
                return (CloseCodes.TooManyConnections, $"the server holds its maximum of {_options.Value.MaxConnections} connections");
            }

            var forSession = _perSession.GetValueOrDefault(connection.SessionId);
            if (forSession >= _options.Value.MaxConnectionsPerSession)
            {
                return (CloseCodes.TooManyConnections, $"the session has its maximum of {_options.Value.MaxConnectionsPerSession} connections");
            }

            _perSession[connection.SessionId] = forSession + 1;
            _total++;
            _open[connection] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        _metrics.Opened();
        return null;
    }

    /// <summary>Counts the connection out once it has ended; shutdown stops waiting for it.</summary>
    public void Remove(SessionConnection connection)
    {
        TaskCompletionSource? ended;
        lock (_gate)
        {
            if (!_open.TryRemove(connection, out ended))
            {
                return;
            }

            _total--;
            var left = _perSession[connection.SessionId] - 1;
            if (left == 0)
            {
                _perSession.TryRemove(connection.SessionId, out _);
            }
            else
            {
                _perSession[connection.SessionId] = left;
            }
        }

        _metrics.Closed();
        ended.TrySetResult();
    }

    public int Count => _open.Count;

    /// <summary>The open connections now.</summary>
    public IEnumerable<SessionConnection> Connections => _open.Select(pair => pair.Key);

    public void Dispose() => _timer.Dispose();

    private void Tick()
    {
        var now = _time.GetUtcNow();
        foreach (var (connection, _) in _open)
        {
            connection.OnTick(now);
        }
    }

    /// <summary>Tells every connection the server is going away and waits, bounded, for them to close.</summary>
    public async Task ShutdownAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _stopping = true;
        }

        foreach (var connection in _open.Keys)
        {
            connection.Shutdown(_options.Value.RetryAfterSeconds);
        }

        var all = Task.WhenAll(_open.Values.Select(ended => ended.Task));
        await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(_options.Value.ShutdownTimeoutSeconds), _time, cancellationToken));
        foreach (var connection in _open.Keys)
        {
            connection.Drop();
        }
    }
}
