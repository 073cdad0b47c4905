using Microsoft.AspNetCore.Http.Features;

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
internal sealed class RealtimeEndpoints(RequestDelegate next, Watchers watchers)
{
    /// <summary>The same socket under the REST base, so one base URL reaches both.</summary>
    public const string ApiPrefix = "/api/v1/ws";

    /// <summary>A session's socket is this, then its id.</summary>
    internal const string Prefix = "/ws/intelligent-parallel/";

    /// <summary>"/api/v1" then <see cref="Prefix"/>.</summary>
    internal const string ApiPath = ApiPrefix + "/intelligent-parallel/";

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
        var stream = (http.Features.Get<IHttpUpgradeFeature>() as UpgradedStreamFeature)?.Stream
            ?? throw new InvalidOperationException("UseRealtime's stream middleware must run before the WebSocket middleware");
        await watchers.ServeAsync(socket, stream, sessionId, http.Request.Headers.Origin.ToString(), http.Request.Query["access_token"].FirstOrDefault(),
            http.Request.Query["last_seq"]);
    }
}
