using System.Buffers;
using System.Net.WebSockets;
using CanvasLearning.Sessions;

namespace CanvasLearning.Realtime;

/// <summary>
/// One client watching one session: a position in the session's log. Its writer is the only code
/// that sends on the socket: first <c>connected</c>, then every event after the client's
/// <c>last_seq</c>, in <c>seq</c> order, taken from the session's shared <see cref="SessionTail"/> when
/// it holds them and from the log when the connection is further behind, so nothing is dropped and
/// nothing sent twice however far it falls behind. A reader handles client messages; the server-wide
/// timer (<see cref="OnTick"/>) sends pings and closes idle and stalled connections.
/// </summary>
internal sealed partial class SessionConnection(
    WebSocket socket,
    BatchingStream? batching,
    string sessionId,
    ISessionStore store,
    SessionTail tail,
    RealtimeOptions options,
    RealtimeMetrics metrics,
    TimeProvider time,
    ILogger logger) : IDisposable
{
    private const int Batch = 256;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _drop = new();
    private readonly Outbox _outbox = new();
    private long _sent;
    private long _known;
    private bool _ended;

    public string SessionId { get; } = sessionId;

    /// <summary>True once the connection was asked to close (by either side, the timer or shutdown).</summary>
    public bool Closing => _outbox.Closing;

    /// <summary>Starts being woken by the session's new events: call before reading the snapshot.</summary>
    public void Attach()
    {
        var (lastSeq, totalBytes) = tail.Attach(this);
        (_liveAfter, _liveBase) = (lastSeq > 0 ? lastSeq : -1, totalBytes);
    }

    public void Detach() => tail.Detach(this);

    /// <summary>Called by the tail for each new event; never blocks the publisher.</summary>
    public void Wake() => _outbox.Wake();

    /// <summary>Tells the client the server is going away, then closes with 1012.</summary>
    public void Shutdown(int retryAfter) =>
        _outbox.RequestClose(CloseCodes.ServiceRestart, "server shutting down",
            ControlFrames.Error(SessionId, time.GetUtcNow(), "server_shutdown", "the server is restarting; reconnect with last_seq", true, retryAfter));

    /// <summary>Runs the connection until it closes, either side first.</summary>
    /// <param name="after">Send the logged events after this seq.</param>
    /// <param name="sessionOver">The session had ended when the snapshot was read.</param>
    public async Task RunAsync(ConnectedData snapshot, long after, bool sessionOver, ReadOnlyMemory<byte> firstError, CancellationToken aborted)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(aborted, _stop.Token);
        var writer = WriteAsync(snapshot, after, sessionOver, firstError, linked.Token);
        var reader = ReadAsync(linked.Token);
        await Task.WhenAny(writer, reader, _outbox.CloseAsked);

        // A close was asked for, or one side ended: give the writer a bounded time to send its close
        // (a stalled client's writer may be stuck in a send), then wait, bounded, for the client's
        // answer: a reader may still be reading the frames before it, and aborting would reset the
        // connection and lose them.
        var closeWait = TimeSpan.FromSeconds(options.CloseTimeoutSeconds);
        await Task.WhenAny(writer, Task.Delay(closeWait, TimeProvider.System, _drop.Token));
        await Task.WhenAny(reader, Task.Delay(closeWait, TimeProvider.System, _drop.Token));
        await _stop.CancelAsync();
        await Task.WhenAll(Quiet(writer), Quiet(reader));
        // Abort only a connection whose writer is stuck (a peer that stopped reading mid-frame). Once
        // our close is sent, ending the request closes the connection gracefully, so a client that is
        // slow to read still gets every frame and the close code; an abort would reset it.
        if (!writer.IsCompletedSuccessfully && socket.State is not (WebSocketState.Closed or WebSocketState.Aborted))
        {
            socket.Abort();
        }
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

            (_sent, _known, _ended) = (after, snapshot.LastSeq, sessionOver);
            while (true)
            {
                if (await SendControlAsync(cancellationToken))
                {
                    return;
                }

                if (!await SendEventsAsync(cancellationToken))
                {
                    // Nothing more to send: the end of the log says whether the session is over (a
                    // retried session has a session_completed in the middle of its log).
                    if (_ended)
                    {
                        await CloseAsync(CloseCodes.Normal, "session ended", cancellationToken);
                        return;
                    }

                    await _outbox.WaitAsync(cancellationToken);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            // The client went away or the connection is stopping: nothing left to tell anyone.
        }
    }

    /// <summary>Sends the control frames waiting; true when it sent a close (the writer is done).</summary>
    private async Task<bool> SendControlAsync(CancellationToken cancellationToken)
    {
        while (_outbox.TryTake(out var frame, out var close))
        {
            if (close is null)
            {
                await SendAsync(frame, cancellationToken);
                continue;
            }

            var reason = close.Reason;
            if (close.Status == CloseCodes.SlowConsumer)
            {
                // Named here, by the writer, so it is exactly the last event this client was sent.
                RealtimeLog.SlowConsumer(logger, SessionId, _sent, close.Reason);
                reason = $"too slow ({close.Reason}): reconnect with last_seq={_sent}";
            }

            await CloseAsync(close.Status, reason, cancellationToken);
            return true;
        }

        return false;
    }

    /// <summary>
    /// Sends the next events after the last one sent, from the tail or the log; stops early when a
    /// control frame or a close is waiting (a close stops a replay at once). False when there was none.
    /// </summary>
    private async Task<bool> SendEventsAsync(CancellationToken cancellationToken)
    {
        var batch = ArrayPool<SessionEvent>.Shared.Rent(Batch);
        try
        {
            var count = await NextAsync(batch, cancellationToken);
            if (count == 0)
            {
                return false;
            }

            // Every frame due goes to the socket in one write and one flush: under load the number
            // of sends falls as the batches grow.
            batching?.Cork();
            try
            {
                for (var i = 0; i < count && !_outbox.HasPriority; i++)
                {
                    await SendEventAsync(batch[i], cancellationToken);
                }
            }
            finally
            {
                if (batching is not null)
                {
                    await AwaitSendAsync(batching.UncorkAsync(cancellationToken));
                }
            }

            return true;
        }
        finally
        {
            ArrayPool<SessionEvent>.Shared.Return(batch, clearArray: true);
        }
    }

    /// <summary>Fills <paramref name="into"/> with the events after the last one sent: from the tail when it holds them, else from the log.</summary>
    private async ValueTask<int> NextAsync(SessionEvent[] into, CancellationToken cancellationToken)
    {
        var count = tail.Read(_sent, into.AsSpan(0, Batch), out var tailLast);
        if (count > 0)
        {
            return count;
        }

        var end = Math.Max(_known, tailLast);
        if (_sent >= end)
        {
            return 0;
        }

        var logged = await store.ReadEventsAsync(SessionId, _sent, (int)Math.Min(Batch, end - _sent), cancellationToken);
        for (var i = 0; i < logged.Count; i++)
        {
            into[i] = logged[i];
        }

        if (logged.Count > 0)
        {
            _known = Math.Max(_known, logged[^1].Seq);
            metrics.ReadFromLog(logged.Count);
        }

        return logged.Count;
    }

    private async ValueTask SendEventAsync(SessionEvent e, CancellationToken cancellationToken)
    {
        if (e.Seq <= _sent)
        {
            return;
        }

        await SendAsync(e.Utf8, cancellationToken);
        CountSent(e);
        Volatile.Write(ref _sent, e.Seq);
        _ended = e.Type == EventTypes.SessionCompleted;
        Touch();
        metrics.Sent();
    }

    private ValueTask SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken) =>
        AwaitSendAsync(socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, cancellationToken));

    /// <summary>Awaits a write to the socket; while it is not accepted, the timer can see how long this connection has been stuck.</summary>
    private async ValueTask AwaitSendAsync(ValueTask sending)
    {
        if (sending.IsCompleted)
        {
            sending.GetAwaiter().GetResult();
            return;
        }

        Volatile.Write(ref _sendingSince, time.GetUtcNow().UtcTicks);
        try
        {
            await sending;
        }
        finally
        {
            Volatile.Write(ref _sendingSince, 0);
        }
    }

    private async Task CloseAsync(WebSocketCloseStatus status, string reason, CancellationToken cancellationToken)
    {
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            await socket.CloseOutputAsync(status, reason, cancellationToken);
        }
    }

    private void Touch() => Volatile.Write(ref _lastActivity, time.GetUtcNow().UtcTicks);

    private static async Task Quiet(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException or IOException)
        {
        }
    }
}
