namespace CanvasLearning.Sessions;

/// <summary>Event type names of the WebSocket contract (DESIGN.md).</summary>
public static class EventTypes
{
    public const string Connected = "connected";
    public const string ProgressUpdate = "progress_update";
    public const string TaskCompleted = "task_completed";
    public const string TaskFailed = "task_failed";
    public const string GroupCompleted = "group_completed";
    public const string SessionCompleted = "session_completed";
    public const string Error = "error";
    public const string Ping = "ping";
    public const string Pong = "pong";
}

/// <summary>
/// The session's counts after a change; with the group that changed and that group's own counts
/// (absent when the session itself started or resumed), so a client can draw a bar per group.
/// </summary>
public sealed record ProgressUpdateData(
    double ProgressPercent, int CompletedNodes, int TotalNodes, int FailedNodes, string? GroupId,
    int? GroupCompletedNodes = null, int? GroupFailedNodes = null, int? GroupTotalNodes = null);

/// <summary>A node's explanation is written; <paramref name="Model"/> and the token counts say what it cost.</summary>
public sealed record TaskCompletedData(
    string NodeId, string FilePath, long FileSize, string GroupId, string AgentType, long DurationMs, string Model, long TokensIn, long TokensOut);

public sealed record TaskFailedData(string NodeId, string ErrorMessage, string GroupId, string ErrorType);

public sealed record GroupCompletedData(string GroupId, string AgentType, int CompletedNodes, int FailedNodes);

public sealed record SessionCompletedData(string Status, double TotalDuration, int SuccessCount, int FailureCount);

public sealed record ErrorData(string ErrorType, string Message, bool Recoverable, int? RetryAfter);

/// <summary>
/// One logged event: its number in the session and the complete wire frame, serialized once when
/// it is logged and sent as these same bytes to every client.
/// </summary>
public sealed record SessionEvent(string SessionId, long Seq, string Type, string Json)
{
    /// <summary>The frame as UTF-8, encoded once when the event is made and shared by every connection.</summary>
    public ReadOnlyMemory<byte> Utf8 { get; } = System.Text.Encoding.UTF8.GetBytes(Json);
}

/// <summary>The snapshot a WebSocket client gets first.</summary>
public sealed record ConnectedData(
    string Status, double ProgressPercent, int CompletedNodes, int FailedNodes, int TotalNodes, long LastSeq, int HeartbeatInterval);
