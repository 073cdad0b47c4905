namespace CanvasLearning.Realtime;

internal sealed partial class SessionConnection
{
    /// <summary>
    /// Sends <c>ping</c> every heartbeat interval and closes an idle connection. Deadlines are absolute
    /// (counted from <see cref="Started"/>), so a late-scheduled wait never shifts them.
    /// </summary>
    private async Task TimeAsync(CancellationToken cancellationToken)
    {
        var heartbeat = TimeSpan.FromSeconds(options.HeartbeatIntervalSeconds);
        var idle = TimeSpan.FromSeconds(options.IdleTimeoutSeconds);
        var nextPing = Started + heartbeat;
        while (!cancellationToken.IsCancellationRequested)
        {
            var idleAt = new DateTimeOffset(Interlocked.Read(ref _lastActivity), TimeSpan.Zero) + idle;
            var due = nextPing < idleAt ? nextPing : idleAt;
            var wait = due - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancellationToken);
            }

            var now = time.GetUtcNow();
            if (now >= new DateTimeOffset(Interlocked.Read(ref _lastActivity), TimeSpan.Zero) + idle)
            {
                Log.IdleClosed(logger, SessionId);
                Queue.RequestClose(CloseCodes.IdleTimeout, "idle timeout",
                    ControlFrames.Error(SessionId, now, "idle_timeout",
                        $"nothing from the client and nothing for the session for {options.IdleTimeoutSeconds} s; reconnect with last_seq when needed",
                        true, options.RetryAfterSeconds));
                return;
            }

            if (now >= nextPing)
            {
                Queue.EnqueueControl(ControlFrames.Ping(SessionId, now));
                nextPing += heartbeat;
                if (nextPing <= now)
                {
                    nextPing = now + heartbeat;
                }
            }
        }
    }
}
