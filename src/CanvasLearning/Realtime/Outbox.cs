using System.Net.WebSockets;

namespace CanvasLearning.Realtime;

/// <summary>
/// What one connection's writer is asked to do besides sending the session's events: control
/// frames (pong, ping, error) to send first, a close to send instead of anything more, and the
/// signal a parked writer waits for. Session events are not queued here: they are read from the tail
/// or the log at the connection's own position.
/// </summary>
/// <param name="onWork">Called after a control frame or a close is queued: the connection wakes its writer if it is parked.</param>
internal sealed class Outbox(SessionConnection? onWork = null)
{
    private const int MaxControlFrames = 64;
    private readonly Lock _gate = new();
    private readonly Queue<ReadOnlyMemory<byte>> _control = new();
    private readonly TaskCompletionSource _closeAsked = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly AsyncSignal _wake = new();

    private CloseRequest? _close;
    private volatile bool _pending;

    /// <summary>True once a close was asked for.</summary>
    public bool Closing => _closeAsked.Task.IsCompleted;

    /// <summary>Completes when a close is asked for.</summary>
    public Task CloseAsked => _closeAsked.Task;

    /// <summary>True when a control frame or a close waits: the writer handles those before its next event.</summary>
    public bool HasPriority => _pending;

    /// <summary>Queues a frame that is not a logged event. Frames beyond a small bound are dropped (a flood of pings gets fewer pongs).</summary>
    public void EnqueueControl(ReadOnlyMemory<byte> frame)
    {
        lock (_gate)
        {
            if (_close is not null || _control.Count >= MaxControlFrames)
            {
                return;
            }

            _control.Enqueue(frame);
            _pending = true;
        }

        onWork?.Wake();
    }

    /// <summary>
    /// Asks the writer to close after the control frames already queued (and <paramref name="before"/>).
    /// The first request wins. For a slow client the writer writes the reason itself, naming the
    /// exact last seq it sent.
    /// </summary>
    public bool RequestClose(WebSocketCloseStatus status, string reason, ReadOnlyMemory<byte> before = default)
    {
        lock (_gate)
        {
            if (_close is not null)
            {
                return false;
            }

            if (!before.IsEmpty)
            {
                _control.Enqueue(before);
            }

            _close = new CloseRequest(status, reason);
            _pending = true;
        }

        _closeAsked.TrySetResult();
        onWork?.Wake();
        return true;
    }

    /// <summary>The next control frame, else the close asked for, else nothing.</summary>
    public bool TryTake(out ReadOnlyMemory<byte> frame, out CloseRequest? close)
    {
        lock (_gate)
        {
            close = null;
            if (_control.TryDequeue(out frame))
            {
                _pending = _control.Count > 0 || _close is not null;
                return true;
            }

            close = _close;
            _pending = _close is not null;
            return close is not null;
        }
    }

    /// <summary>Wakes the parked writer.</summary>
    public void Signal() => _wake.Set();

    /// <summary>Waits for the next signal; one that came since the last wait returns at once.</summary>
    public ValueTask WaitAsync() => _wake.WaitAsync(CancellationToken.None);
}

internal sealed record CloseRequest(WebSocketCloseStatus Status, string Reason);
