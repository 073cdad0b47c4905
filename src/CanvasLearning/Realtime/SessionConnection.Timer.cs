namespace CanvasLearning.Realtime;

internal sealed partial class SessionConnection
{
    private long _lastActivity = time.GetUtcNow().UtcTicks;
    private long _nextPing = time.GetUtcNow().UtcTicks + TimeSpan.TicksPerSecond * options.HeartbeatIntervalSeconds;
    private long _sendingSince;

    // What was appended to the tail after this connection attached is "live" for it; its backlog is
    // the bytes of live events it has not been sent yet (the replay it was asked for is not counted).
    private long _liveAfter;
    private long _liveBase;
    private long _liveSent;

    /// <summary>True while the socket has not taken the frame being sent.</summary>
    public bool Sending => Volatile.Read(ref _sendingSince) != 0;

    /// <summary>Bytes of live events appended to the session's tail and not yet sent to this client.</summary>
    public long BacklogBytes => tail.TotalBytes - _liveBase - Interlocked.Read(ref _liveSent);

    /// <summary>
    /// Called about once a second by the server-wide timer, from before <c>connected</c> is sent, so
    /// no deadline can race with the clock. Sends <c>ping</c> every heartbeat interval; closes a
    /// connection that has been idle too long, that has accepted no bytes for
    /// <c>Realtime:SlowClientTimeoutSeconds</c> (a send not taken for that long), or whose live
    /// backlog passed <c>Realtime:MaxBacklogBytes</c>. A client draining a burst at its own pace is
    /// never closed: it takes bytes all the while.
    /// </summary>
    public void OnTick(DateTimeOffset now)
    {
        if (Outbox.Closing)
        {
            return;
        }

        var ticks = now.UtcTicks;
        var sendingSince = Volatile.Read(ref _sendingSince);
        if (sendingSince != 0 && ticks - sendingSince >= TimeSpan.TicksPerSecond * options.SlowClientTimeoutSeconds)
        {
            CloseAsTooSlow($"no bytes accepted for {options.SlowClientTimeoutSeconds} s");
            return;
        }

        if (BacklogBytes > options.MaxBacklogBytes)
        {
            CloseAsTooSlow($"over {options.MaxBacklogBytes} bytes behind");
            return;
        }

        if (ticks >= Volatile.Read(ref _lastActivity) + TimeSpan.TicksPerSecond * options.IdleTimeoutSeconds)
        {
            RealtimeLog.IdleClosed(logger, SessionId);
            Outbox.RequestClose(CloseCodes.IdleTimeout, "idle timeout",
                ControlFrames.Error(SessionId, now, "idle_timeout",
                    $"nothing from the client and nothing for the session for {options.IdleTimeoutSeconds} s; reconnect with last_seq when needed",
                    true, options.RetryAfterSeconds));
            return;
        }

        if (ticks >= _nextPing)
        {
            Outbox.EnqueueControl(ControlFrames.Ping(SessionId, now));
            var heartbeat = TimeSpan.TicksPerSecond * options.HeartbeatIntervalSeconds;
            _nextPing += heartbeat;
            if (_nextPing <= ticks)
            {
                _nextPing = ticks + heartbeat;
            }
        }
    }

    private void CloseAsTooSlow(string cause)
    {
        if (Outbox.RequestClose(CloseCodes.SlowConsumer, cause))
        {
            metrics.SlowClosed();
        }
    }

    /// <summary>Counts a sent event against the live backlog when it was appended after this connection attached.</summary>
    private void CountSent(Sessions.SessionEvent e)
    {
        var live = _liveAfter >= 0 ? e.Seq > _liveAfter : tail.FirstAppendedSeq is > 0 and var first && e.Seq >= first;
        if (live)
        {
            Interlocked.Add(ref _liveSent, e.Utf8.Length);
        }
    }
}
