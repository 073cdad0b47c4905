using System.Net.WebSockets;
using CanvasLearning.Sessions;

namespace CanvasLearning.Realtime;

/// <summary>
/// One client watching one session. Its writer is the only code that sends on the socket: first
/// <c>connected</c>, then the events after the client's <c>last_seq</c> read from the log, then live
/// events from its own bounded queue, filling any gap from the log, so the client sees every event
/// once and in <c>seq</c> order. A reader handles client messages; a timer sends pings and watches idleness.
/// </summary>
internal sealed partial class SessionConnection(
    WebSocket socket,
    string sessionId,
    ISessionStore store,
    RealtimeOptions options,
    RealtimeMetrics metrics,
    TimeProvider time,
    ILogger logger) : IDisposable
{
    private const int ReplayBatch = 500;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _drop = new();
    private long _sent;
    private long _lastActivity = time.GetUtcNow().UtcTicks;

    public string SessionId { get; } = sessionId;

    public SendQueue Queue { get; } = new(options.SendQueueCapacity, metrics);

    /// <summary>When the connection began: the heartbeat and idle clocks count from here.</summary>
    public DateTimeOffset Started { get; } = time.GetUtcNow();

    /// <summary>Called by the bus for each live event; never blocks the publisher.</summary>
    public void OnEvent(SessionEvent e)
    {
        if (!Queue.TryEnqueue(e))
        {
            metrics.SlowClosed();
            Log.SlowConsumer(logger, SessionId, Interlocked.Read(ref _sent));
            Queue.RequestClose(CloseCodes.SlowConsumer, $"too slow: reconnect with last_seq={Interlocked.Read(ref _sent)}");
        }
    }

    /// <summary>Tells the client the server is going away, then closes with 1012.</summary>
    public void Shutdown(int retryAfter) =>
        Queue.RequestClose(CloseCodes.ServiceRestart, "server shutting down",
            ControlFrames.Error(SessionId, time.GetUtcNow(), "server_shutdown", "the server is restarting; reconnect with last_seq", true, retryAfter));

    /// <summary>Runs the connection until it closes, either side first.</summary>
    public async Task RunAsync(ConnectedData snapshot, long after, bool sessionOver, ReadOnlyMemory<byte> firstError, CancellationToken aborted)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(aborted, _stop.Token);
        var writer = WriteAsync(snapshot, after, sessionOver, firstError, linked.Token);
        var reader = ReadAsync(linked.Token);
        var timer = TimeAsync(linked.Token);
        await Task.WhenAny(writer, reader);

        // The reader ends when the client closes or vanishes; give the writer a moment to answer the close.
        // After the server's own close, wait (bounded) for the client's: a reader may still be reading
        // the frames before it, and aborting the connection would reset it and lose them.
        var closeWait = TimeSpan.FromSeconds(options.CloseTimeoutSeconds);
        await Task.WhenAny(writer, Task.Delay(closeWait, TimeProvider.System, _drop.Token));
        await Task.WhenAny(reader, Task.Delay(closeWait, TimeProvider.System, _drop.Token));
        await _stop.CancelAsync();
        await Task.WhenAll(Quiet(writer), Quiet(reader), Quiet(timer));
        // Abort only a connection whose writer is stuck (a peer that stopped reading mid-frame). Once
        // our close is sent, ending the request closes the connection gracefully, so a client that is
        // slow to read still gets every frame and the close code; an abort would reset it.
        if (!writer.IsCompletedSuccessfully && socket.State is not (WebSocketState.Closed or WebSocketState.Aborted))
        {
            socket.Abort();
        }

        Queue.Clear();
    }

    /// <summary>Stops waiting for the client's close: shutdown's bound has passed.</summary>
    public void Drop() => _drop.Cancel();

    public void Dispose()
    {
        _stop.Dispose();
        _drop.Dispose();
    }

    private async Task WriteAsync(ConnectedData snapshot, long after, bool sessionOver, ReadOnlyMemory<byte> firstError, CancellationToken cancellationToken)
    {
        try
        {
            await SendAsync(ControlFrames.Connected(SessionId, time.GetUtcNow(), snapshot), cancellationToken);
            if (!firstError.IsEmpty)
            {
                await SendAsync(firstError, cancellationToken);
            }

            _sent = after;

            // The replay covers the whole log: a retried session has a session_completed in the
            // middle of it, and only the end of the log says whether the session is over now.
            if (await CatchUpAsync(long.MaxValue, cancellationToken) || sessionOver)
            {
                await CloseAsync(CloseCodes.Normal, "session ended", cancellationToken);
                return;
            }

            while (true)
            {
                var next = await Queue.DequeueAsync(cancellationToken);
                if (next.Close is { } status)
                {
                    await CloseAsync(status, next.Reason!, cancellationToken);
                    return;
                }

                if (next.Event is not { } e)
                {
                    await SendAsync(next.Frame, cancellationToken);
                    continue;
                }

                if (e.Seq <= _sent)
                {
                    continue;
                }

                await CatchUpAsync(e.Seq - 1, cancellationToken);
                if (await SendEventAsync(e, cancellationToken))
                {
                    await CloseAsync(CloseCodes.Normal, "session ended", cancellationToken);
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away or the connection is stopping: nothing left to tell anyone.
        }
    }

    /// <summary>
    /// Sends the logged events after the last one sent, up to <paramref name="upTo"/>. True when the
    /// last event it sent was <c>session_completed</c>.
    /// </summary>
    private async Task<bool> CatchUpAsync(long upTo, CancellationToken cancellationToken)
    {
        // Progress updates replaced in the queue by a newer one are skipped on purpose, not read back.
        while (_sent < upTo && Queue.WasCollapsed(_sent + 1))
        {
            _sent++;
        }

        var endedSession = false;
        while (_sent < upTo)
        {
            var limit = (int)Math.Min(ReplayBatch, upTo - _sent);
            var batch = await store.ReadEventsAsync(SessionId, _sent, limit, cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            foreach (var e in batch)
            {
                if (Queue.WasCollapsed(e.Seq))
                {
                    _sent = e.Seq;
                }
                else
                {
                    endedSession = await SendEventAsync(e, cancellationToken);
                }
            }
        }

        return endedSession;
    }

    private async Task<bool> SendEventAsync(SessionEvent e, CancellationToken cancellationToken)
    {
        await SendAsync(e.Utf8, cancellationToken);
        Interlocked.Exchange(ref _sent, e.Seq);
        Touch();
        metrics.Sent();
        return e.Type == EventTypes.SessionCompleted;
    }

    private ValueTask SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken) =>
        socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

    private async Task CloseAsync(WebSocketCloseStatus status, string reason, CancellationToken cancellationToken)
    {
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            await socket.CloseOutputAsync(status, reason, cancellationToken);
        }
    }

    private void Touch() => Interlocked.Exchange(ref _lastActivity, time.GetUtcNow().UtcTicks);

    private static async Task Quiet(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
        }
    }
}
