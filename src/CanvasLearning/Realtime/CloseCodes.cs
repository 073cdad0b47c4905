using System.Net.WebSockets;

namespace CanvasLearning.Realtime;

/// <summary>The close codes of the contract (docs/protocol.md). 4xxx mirror the HTTP status they resemble.</summary>
public static class CloseCodes
{
    /// <summary>The session ended (after <c>session_completed</c>), or a finished session was replayed.</summary>
    public const WebSocketCloseStatus Normal = WebSocketCloseStatus.NormalClosure;

    /// <summary>A client message larger than <c>Realtime:MaxMessageBytes</c>.</summary>
    public const WebSocketCloseStatus MessageTooBig = WebSocketCloseStatus.MessageTooBig;

    /// <summary>The server is shutting down; reconnect with <c>last_seq</c> after <c>retry_after</c>.</summary>
    public const WebSocketCloseStatus ServiceRestart = (WebSocketCloseStatus)1012;

    public const WebSocketCloseStatus Unauthorized = (WebSocketCloseStatus)4001;
    public const WebSocketCloseStatus OriginNotAllowed = (WebSocketCloseStatus)4003;
    public const WebSocketCloseStatus SessionNotFound = (WebSocketCloseStatus)4004;

    /// <summary>The connection fell too far behind (its send queue overflowed); reconnect with <c>last_seq</c>.</summary>
    public const WebSocketCloseStatus SlowConsumer = (WebSocketCloseStatus)4008;

    /// <summary>Bad query: <c>last_seq</c> is not a whole number ≥ 0.</summary>
    public const WebSocketCloseStatus BadRequest = (WebSocketCloseStatus)4400;

    /// <summary>Nothing from the client and nothing for the session for <c>Realtime:IdleTimeoutSeconds</c>.</summary>
    public const WebSocketCloseStatus IdleTimeout = (WebSocketCloseStatus)4408;

    /// <summary>Too many connections, for the session or the server.</summary>
    public const WebSocketCloseStatus TooManyConnections = (WebSocketCloseStatus)4013;

    /// <summary>The client kept flooding after <c>rate_limited</c> errors.</summary>
    public const WebSocketCloseStatus RateLimited = (WebSocketCloseStatus)4029;
}
