using System.Net.WebSockets;
using CanvasLearning.Sessions;

namespace CanvasLearning.Realtime;

/// <summary>
/// One client watching one session: a position in the session's log. What it is sent: first
/// <c>connected</c>, then every event after the client's <c>last_seq</c>, in <c>seq</c> order, taken
/// from the session's shared <see cref="SessionTail"/> when it holds them and from the log when the
/// connection is further behind, so nothing is dropped and nothing sent twice however far it falls
/// behind. Two parties may write, one at a time: the connection's writer (the snapshot, the log,
/// control frames, the close, and any write the socket did not take at once), and, while the writer
/// is parked, the server's fan-out thread, which hands a connection that keeps up every new frame in
/// one write without waking anything (<see cref="Pump"/>). A reader handles client messages; the
/// server-wide timer (<see cref="OnTick"/>) sends pings and closes idle and stalled connections.
/// </summary>
internal sealed partial class SessionConnection(
    WebSocket socket,
    UpgradedStream stream,
    string sessionId,
    ISessionStore store,
    SessionTail tail,
    RealtimeOptions options,
    RealtimeMetrics metrics,
    TimeProvider time,
    ILogger logger) : IDisposable
{
    /// <summary>About the most bytes of frames handed to the socket in one write.</summary>
    private const int MaxBatchBytes = 64 * 1024;

    /// <summary>Most events read from the log at once.</summary>
    private const int LogBatch = 256;
    private readonly CancellationTokenSource _stop = new();
    private CancellationTokenSource? _drop;
    private Outbox? _outbox;
    private long _sent;
    private long _known;
    private bool _ended;

    public string SessionId { get; } = sessionId;

    /// <summary>Made on first use (a field initializer cannot hand it the connection); every thread gets the same one.</summary>
    private Outbox Outbox => _outbox ?? Interlocked.CompareExchange(ref _outbox, new Outbox(this), null) ?? _outbox;

    /// <summary>Made only when shutdown or a close needs it: most connections never do.</summary>
    private CancellationTokenSource DropSource => _drop ?? Interlocked.CompareExchange(ref _drop, new CancellationTokenSource(), null) ?? _drop;

    /// <summary>True once the connection was asked to close (by either side, the timer or shutdown).</summary>
    public bool Closing => Outbox.Closing;

    /// <summary>Starts being woken by the session's new events: call before reading the snapshot.</summary>
    public void Attach()
    {
        var (lastSeq, totalBytes) = tail.Attach(this);
        (_liveAfter, _liveBase) = (lastSeq > 0 ? lastSeq : -1, totalBytes);
    }

    public void Detach() => tail.Detach(this);

    /// <summary>Tells the client the server is going away, then closes with 1012.</summary>
    public void Shutdown(int retryAfter) =>
        Outbox.RequestClose(CloseCodes.ServiceRestart, "server shutting down",
            ControlFrames.Error(SessionId, time.GetUtcNow(), "server_shutdown", "the server is restarting; reconnect with last_seq", true, retryAfter));

    /// <summary>Runs the connection until it closes, either side first.</summary>
    /// <param name="after">Send the logged events after this seq.</param>
    /// <param name="sessionOver">The session had ended when the snapshot was read.</param>
    public async Task RunAsync(ConnectedData snapshot, long after, bool sessionOver, ReadOnlyMemory<byte> firstError)
    {
        // The request ends with the socket: a client that goes away ends the reader's read, and with it the connection.
        var writer = WriteAsync(snapshot, after, sessionOver, firstError, _stop.Token);
        var reader = ReadAsync(_stop.Token);
        await Task.WhenAny(writer, reader, Outbox.CloseAsked);

        // A close was asked for, or one side ended: give the writer a bounded time to send its close
        // (a stalled client's writer may be stuck in a send), then wait, bounded, for the client's
        // answer: a reader may still be reading the frames before it, and aborting would reset the
        // connection and lose them.
        var closeWait = TimeSpan.FromSeconds(options.CloseTimeoutSeconds);
        await Task.WhenAny(writer, Task.Delay(closeWait, time, DropSource.Token));
        await Task.WhenAny(reader, Task.Delay(closeWait, time, DropSource.Token));
        await StopAsync();
        if (!reader.IsCompleted)
        {
            // The client never answered the close: its read holds no cancellation of its own.
            socket.Abort();
        }

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
    public void Drop() => DropSource.Cancel();

    public void Dispose()
    {
        _stop.Dispose();
        _drop?.Dispose();
    }

    /// <summary>Stops the writer and the reader. A parked writer's wait holds no cancellation of its own: it is woken to see this.</summary>
    private async Task StopAsync()
    {
        await _stop.CancelAsync();
        Outbox.Signal();
    }

    private async Task WriteAsync(ConnectedData snapshot, long after, bool sessionOver, ReadOnlyMemory<byte> firstError, CancellationToken cancellationToken)
    {
        try
        {
            var frames = default(FrameBuffer);
            frames.AppendText(ControlFrames.Connected(SessionId, time.GetUtcNow(), snapshot));
            if (!firstError.IsEmpty)
            {
                frames.AppendText(firstError.Span);
            }

            await WriteFramesAsync(frames, default, cancellationToken);
            (_sent, _known, _ended) = (after, snapshot.LastSeq, sessionOver);
            while (true)
            {
                if (_handover is { } handover)
                {
                    _handover = null;
                    await FinishAsync(handover.Frames, handover.Batch, handover.Write);
                }

                if (await SendControlAsync(cancellationToken))
                {
                    return;
                }

                if (await SendEventsAsync(cancellationToken))
                {
                    continue;
                }

                // Nothing more to send: the end of the log says whether the session is over (a
                // retried session has a session_completed in the middle of its log).
                if (_ended)
                {
                    await CloseAsync(CloseCodes.Normal, "session ended", cancellationToken);
                    return;
                }

                if (Park(Writing))
                {
                    await Outbox.WaitAsync();
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            // The client went away or the connection is stopping: nothing left to tell anyone.
        }
        finally
        {
            Retire();
        }
    }

    /// <summary>Sends the control frames waiting, in one write; true when it sent a close (the writer is done).</summary>
    private async Task<bool> SendControlAsync(CancellationToken cancellationToken)
    {
        var frames = default(FrameBuffer);
        CloseRequest? close = null;
        while (close is null && Outbox.TryTake(out var frame, out close))
        {
            if (close is null)
            {
                frames.AppendText(frame.Span);
            }
        }

        if (frames.Count > 0)
        {
            await WriteFramesAsync(frames, default, cancellationToken);
        }

        if (close is null)
        {
            return false;
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

    /// <summary>
    /// Sends the next events after the last one sent, in one write: from the tail when it holds
    /// them, else from the log. False when there was none.
    /// </summary>
    private async Task<bool> SendEventsAsync(CancellationToken cancellationToken)
    {
        var frames = default(FrameBuffer);
        var count = tail.CopyFrames(_sent, ref frames, MaxBatchBytes, LiveFrom, out var batch);
        if (count == 0 && _sent < _known)
        {
            count = -1;
        }

        if (count < 0)
        {
            var end = Math.Max(_known, tail.LastSeq);
            if (_sent >= end)
            {
                return false;
            }

            var logged = await store.ReadEventsAsync(SessionId, _sent, (int)Math.Min(LogBatch, end - _sent), cancellationToken);
            if (logged.Count == 0)
            {
                return false;
            }

            _known = Math.Max(_known, logged[^1].Seq);
            metrics.ReadFromLog(logged.Count);
            (count, batch) = (logged.Count, Frame(logged, ref frames));
        }

        if (count == 0)
        {
            return false;
        }

        await WriteFramesAsync(frames, batch, cancellationToken);
        return true;
    }

    /// <summary>Frames events read from the log (those already sent are left out).</summary>
    private SentBatch Frame(IReadOnlyList<SessionEvent> events, ref FrameBuffer frames)
    {
        var liveFrom = LiveFrom;
        long live = 0;
        SessionEvent? last = null;
        foreach (var e in events)
        {
            if (e.Seq <= (last?.Seq ?? _sent))
            {
                continue;
            }

            frames.AppendText(e.Utf8.Span);
            live += e.Seq >= liveFrom ? e.Utf8.Length : 0;
            last = e;
        }

        return last is null ? default : new SentBatch(frames.Count, last.Seq, live, last.Type == EventTypes.SessionCompleted);
    }

    /// <summary>Writes the frames in one write and counts what they carried once the socket took them.</summary>
    private ValueTask WriteFramesAsync(FrameBuffer frames, SentBatch batch, CancellationToken cancellationToken)
    {
        ValueTask write;
        try
        {
            write = stream.WriteAsync(frames.Memory, cancellationToken);
        }
        catch
        {
            frames.Return();
            throw;
        }

        return FinishAsync(frames, batch, write);
    }

    /// <summary>Waits for a write (the timer sees how long the socket has not taken it), then counts it.</summary>
    private async ValueTask FinishAsync(FrameBuffer frames, SentBatch batch, ValueTask write)
    {
        try
        {
            if (write.IsCompleted)
            {
                write.GetAwaiter().GetResult();
            }
            else
            {
                Volatile.Write(ref _sendingSince, time.GetUtcNow().UtcTicks);
                try
                {
                    await write;
                }
                finally
                {
                    Volatile.Write(ref _sendingSince, 0);
                }
            }
        }
        finally
        {
            frames.Return();
        }

        Sent(batch);
    }

    /// <summary>What a write carried is now sent: the connection's position moves past it.</summary>
    private void Sent(SentBatch batch)
    {
        if (batch.Count == 0)
        {
            return;
        }

        Touch();
        _sent = batch.LastSeq;
        _ended = batch.EndsSession;
        Interlocked.Add(ref _liveSent, batch.LiveBytes);
        metrics.Sent(batch.Count);
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
