using System.Globalization;
using System.Net.WebSockets;
using CanvasLearning.Security;
using CanvasLearning.Sessions;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace CanvasLearning.Realtime;

/// <summary>
/// <c>WS /ws/intelligent-parallel/{session_id}[?last_seq=N]</c> (also under <c>/api/v1/ws/...</c>): the
/// live event stream of a session.
/// </summary>
/// <remarks>
/// A branch at the head of the pipeline, not a routed endpoint: a connection lives as long as its
/// request, and whatever the request passed through stays alive with it (the exception handler's and
/// status pages' awaits, a scope of request services, route values). So the branch holds its
/// services itself and goes through nothing else: an idle watcher costs about what the socket does.
/// </remarks>
internal sealed class RealtimeEndpoints(
    RequestDelegate next, ISessionStore store, SessionTails tails, AccessPolicy access, ConnectionRegistry registry,
    RealtimeMetrics metrics, IOptions<RealtimeOptions> options, TimeProvider time, ILogger<SessionConnection> logger)
{
    public const string Route = "/ws/intelligent-parallel/{session_id}";

    /// <summary>The same socket under the REST base, so one base URL reaches both.</summary>
    public const string ApiPrefix = "/api/v1/ws";

    private const string Prefix = "/ws/intelligent-parallel/";

    /// <summary>"/api/v1" then <see cref="Prefix"/>.</summary>
    private const string ApiPath = ApiPrefix + "/intelligent-parallel/";

    /// <summary>Not async on the way through: the requests that are not ours keep no state of this branch.</summary>
    public Task InvokeAsync(HttpContext http) => SessionIdOf(http.Request.Path) is { } id ? HandleAsync(http, id) : next(http);

    /// <summary>The session id of <c>/ws/intelligent-parallel/{id}</c> or <c>/api/v1/ws/intelligent-parallel/{id}</c> (one segment, a trailing slash allowed); null for any other path.</summary>
    internal static string? SessionIdOf(PathString path)
    {
        var value = path.Value.AsSpan();
        if (value.StartsWith(ApiPath, StringComparison.Ordinal))
        {
            value = value[(ApiPath.Length - Prefix.Length)..];
        }

        if (!value.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        value = value[Prefix.Length..];
        if (value.EndsWith('/'))
        {
            value = value[..^1];
        }

        return value.IsEmpty || value.Contains('/') ? null : value.ToString();
    }

    private async Task HandleAsync(HttpContext http, string sessionId)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            await TypedResults.Problem("this is a WebSocket endpoint: connect with a WebSocket client (ws://...)",
                statusCode: StatusCodes.Status400BadRequest, title: "WebSocket expected",
                extensions: new Dictionary<string, object?> { ["error"] = "invalid_request" }).ExecuteAsync(http);
            return;
        }

        // Accept first, then refuse with a close code: a browser sees the code, while a refused
        // handshake shows it only 1006.
        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        var refusal = Check(http, sessionId, access);
        if (refusal.Code is { } code)
        {
            RealtimeLog.Refused(logger, sessionId, refusal.Reason, (int)code);
            await RefuseAsync(socket, code, refusal.Reason);
            return;
        }

        var tail = tails.Acquire(sessionId);
        var stream = (http.Features.Get<IHttpUpgradeFeature>() as UpgradedStreamFeature)?.Stream
            ?? throw new InvalidOperationException("UseRealtime's stream middleware must run before the WebSocket middleware");
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
            // tail, and what was logged before it is read from the log.
            connection.Attach();
            if (await store.GetStateAsync(sessionId, http.RequestAborted) is not { } snapshot)
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

    private static (WebSocketCloseStatus? Code, string Reason, long? LastSeq) Check(HttpContext http, string sessionId, AccessPolicy access)
    {
        if (!access.IsAllowedOrigin(http.Request.Headers.Origin.ToString()))
        {
            return (CloseCodes.OriginNotAllowed, "origin not allowed", null);
        }

        if (!access.IsValidKey(http.Request.Query["access_token"].FirstOrDefault()))
        {
            return (CloseCodes.Unauthorized, "access_token missing or wrong", null);
        }

        long? lastSeq = null;
        if (http.Request.Query.TryGetValue("last_seq", out var raw))
        {
            if (!long.TryParse(raw.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
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
