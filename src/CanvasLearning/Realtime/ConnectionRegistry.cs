using System.Buffers;
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

    // Each open connection, under the gate. Its whole life counts, from TryAdd to Remove: shutdown
    // must wait for a connection that is still being set up (reading its snapshot, sending
    // `connected`, replaying the log) just as for one already running, or it would stop waiting at
    // once and cut that connection's close handshake short (a reset, not 1012). One set entry per
    // connection, and one completion for all of them, made by shutdown.
    private readonly HashSet<SessionConnection> _open = [];
    private readonly Dictionary<string, int> _perSession = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private TaskCompletionSource? _drained;
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

            if (_open.Count >= _options.Value.MaxConnections)
            {
                return (CloseCodes.TooManyConnections, $"the server holds its maximum of {_options.Value.MaxConnections} connections");
            }

            var forSession = _perSession.GetValueOrDefault(connection.SessionId);
            if (forSession >= _options.Value.MaxConnectionsPerSession)
            {
                return (CloseCodes.TooManyConnections, $"the session has its maximum of {_options.Value.MaxConnectionsPerSession} connections");
            }

            _perSession[connection.SessionId] = forSession + 1;
            _open.Add(connection);
        }

        _metrics.Opened();
        return null;
    }

    /// <summary>Counts the connection out once it has ended; shutdown stops waiting for it.</summary>
    public void Remove(SessionConnection connection)
    {
        TaskCompletionSource? drained = null;
        lock (_gate)
        {
            if (!_open.Remove(connection))
            {
                return;
            }

            var left = _perSession[connection.SessionId] - 1;
            if (left == 0)
            {
                _perSession.Remove(connection.SessionId);
            }
            else
            {
                _perSession[connection.SessionId] = left;
            }

            if (_open.Count == 0)
            {
                drained = _drained;
            }
        }

        _metrics.Closed();
        drained?.TrySetResult();
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _open.Count;
            }
        }
    }

    /// <summary>The open connections now.</summary>
    public IReadOnlyList<SessionConnection> Connections => Snapshot();

    public void Dispose() => _timer.Dispose();

    /// <summary>Ticks each connection outside the gate (connections come and go meanwhile), from a pooled copy of the set.</summary>
    private void Tick()
    {
        var now = _time.GetUtcNow();
        SessionConnection[] open;
        int count;
        lock (_gate)
        {
            count = _open.Count;
            open = ArrayPool<SessionConnection>.Shared.Rent(count);
            _open.CopyTo(open);
        }

        try
        {
            foreach (var connection in open.AsSpan(0, count))
            {
                connection.OnTick(now);
            }
        }
        finally
        {
            ArrayPool<SessionConnection>.Shared.Return(open, clearArray: true);
        }
    }

    private SessionConnection[] Snapshot()
    {
        lock (_gate)
        {
            return [.. _open];
        }
    }

    /// <summary>Tells every connection the server is going away and waits, bounded, for them to close.</summary>
    public async Task ShutdownAsync(CancellationToken cancellationToken)
    {
        Task drained;
        lock (_gate)
        {
            _stopping = true;
            _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_open.Count == 0)
            {
                _drained.TrySetResult();
            }

            drained = _drained.Task;
        }

        foreach (var connection in Snapshot())
        {
            connection.Shutdown(_options.Value.RetryAfterSeconds);
        }

        await Task.WhenAny(drained, Task.Delay(TimeSpan.FromSeconds(_options.Value.ShutdownTimeoutSeconds), _time, cancellationToken));
        foreach (var connection in Snapshot())
        {
            connection.Drop();
        }
    }
}
