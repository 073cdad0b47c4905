using System.Globalization;
using System.Net.WebSockets;
using CanvasLearning.Security;
using CanvasLearning.Sessions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace CanvasLearning.Realtime;

/// <summary>
/// Serves one accepted socket for one session, whichever way it came in (the web server's WebSocket
/// support, or <see cref="SocketListener"/> straight off the connection): the checks that end in a
/// close code, the caps, <c>connected</c>, then the session's events until either side closes.
/// </summary>
internal sealed class Watchers(
    ISessionStore store, SessionTails tails, AccessPolicy access, ConnectionRegistry registry,
    RealtimeMetrics metrics, IOptions<RealtimeOptions> options, TimeProvider time, ILogger<SessionConnection> logger)
{
    /// <summary>For the fan-out benchmark's host: a name in the path stands for the session it currently names.</summary>
    internal Func<string, ValueTask<string>>? MapSessionId { get; set; }

    /// <param name="socket">Accepted, open.</param>
    /// <param name="stream">The socket's stream: the connection writes its batches of frames to it.</param>
    /// <param name="lastSeqValues">The <c>last_seq</c> query values (none: not given).</param>
    public async Task ServeAsync(WebSocket socket, UpgradedStream stream, string sessionId, string? origin, string? accessToken, StringValues lastSeqValues)
    {
        if (MapSessionId is { } map)
        {
            sessionId = await map(sessionId);
        }

        // The socket is accepted before these checks, which refuse with a close code: a browser sees
        // the code, while a refused handshake shows it only 1006.
        var refusal = Check(sessionId, origin, accessToken, lastSeqValues);
        if (refusal.Code is { } code)
        {
            RealtimeLog.Refused(logger, sessionId, refusal.Reason, (int)code);
            await RefuseAsync(socket, code, refusal.Reason);
            return;
        }

        var tail = tails.Acquire(sessionId);
        using var connection = new SessionConnection(socket, stream, sessionId, store, tail, options.Value, metrics, time, logger);
        if (registry.TryAdd(connection) is { } full)
        {
            tails.Release(tail);
            RealtimeLog.Refused(logger, sessionId, full.Reason, (int)full.Code);
            await RefuseAsync(socket, full.Code, full.Reason);
            return;
        }

        try
        {
            // Attach before reading the snapshot: whatever is logged after this point reaches the
            // tail, and what was logged before it is read from the log. One row, read at once: the
            // read needs no cancellation (a client gone meanwhile is seen by the connection).
            connection.Attach();
            if (await store.GetStateAsync(sessionId, CancellationToken.None) is not { } snapshot)
            {
                RealtimeLog.Refused(logger, sessionId, "session not found", (int)CloseCodes.SessionNotFound);
                await RefuseAsync(socket, CloseCodes.SessionNotFound, "session not found");
                return;
            }

            var logEnd = snapshot.LastSeq;
            var over = SessionStatus.IsTerminal(snapshot.Status);
            // A watcher of an ended session that names no last_seq still gets how it ended: the
            // session_completed that closes the log (a client waiting for it would otherwise reconnect for ever).
            var after = refusal.LastSeq ?? (over ? Math.Max(0, logEnd - 1) : logEnd);
            var firstError = ReadOnlyMemory<byte>.Empty;
            if (after > logEnd)
            {
                firstError = ControlFrames.Error(sessionId, time.GetUtcNow(), "invalid_last_seq",
                    $"last_seq {after} is beyond the session's log (last_seq {logEnd}); continuing from {logEnd}", true);
                after = logEnd;
            }

            var data = new ConnectedData(snapshot.Status, snapshot.ProgressPercent, snapshot.CompletedNodes, snapshot.FailedNodes,
                snapshot.TotalNodes, logEnd, options.Value.HeartbeatIntervalSeconds);
            RealtimeLog.Opened(logger, sessionId, after);
            await connection.RunAsync(data, after, over, firstError);
        }
        finally
        {
            connection.Detach();
            tails.Release(tail);
            registry.Remove(connection);
            RealtimeLog.Closed(logger, sessionId);
        }
    }

    private (WebSocketCloseStatus? Code, string Reason, long? LastSeq) Check(string sessionId, string? origin, string? accessToken, StringValues lastSeqValues)
    {
        if (!access.IsAllowedOrigin(origin))
        {
            return (CloseCodes.OriginNotAllowed, "origin not allowed", null);
        }

        if (!access.IsValidKey(accessToken))
        {
            return (CloseCodes.Unauthorized, "access_token missing or wrong", null);
        }

        long? lastSeq = null;
        if (lastSeqValues.Count > 0)
        {
            if (!long.TryParse(lastSeqValues.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                return (CloseCodes.BadRequest, "last_seq must be a whole number >= 0", null);
            }

            lastSeq = parsed;
        }

        return SessionIds.IsValid(sessionId) ? (null, "", lastSeq) : (CloseCodes.SessionNotFound, "session not found", null);
    }

    private static async Task RefuseAsync(WebSocket socket, WebSocketCloseStatus code, string reason)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await socket.CloseAsync(code, reason, timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            socket.Abort();
        }
    }
}
