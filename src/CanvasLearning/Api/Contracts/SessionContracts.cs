namespace CanvasLearning.Api.Contracts;

/// <summary>Answer of the polling call <c>GET /{session_id}</c>.</summary>
public sealed record SessionStatusResponse(
    string SessionId,
    string CanvasPath,
    string Status,
    int TotalGroups,
    int TotalNodes,
    int CompletedGroups,
    int CompletedNodes,
    int FailedNodes,
    double ProgressPercent,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    IReadOnlyList<GroupStatus> Groups,
    PerformanceMetrics PerformanceMetrics,
    long LastSeq);

public sealed record GroupStatus(
    string GroupId,
    string Status,
    string AgentType,
    int CompletedNodes,
    int TotalNodes,
    IReadOnlyList<NodeResult> Results,
    IReadOnlyList<NodeError> Errors,
    IReadOnlyList<NodeState> Nodes);

/// <summary>
/// Every node of a group with its status: <c>pending</c>, <c>running</c>, or one of the terminal
/// <c>completed</c>, <c>failed</c>, <c>cancelled</c>; its file once completed, its error once failed.
/// </summary>
public sealed record NodeState(string NodeId, string Title, string Status, string? FilePath, string? ErrorType, string? ErrorMessage);

/// <summary>One explained node: where its note is and what producing it took.</summary>
public sealed record NodeResult(string NodeId, string FilePath, long FileSize, long DurationMs, string Model, long TokensIn, long TokensOut, string Status = "completed");

public sealed record NodeError(string NodeId, string ErrorMessage, string? ErrorType, string Status = "failed");

/// <summary>How the session ran: wall time, node durations, tokens (zero for the offline agent).</summary>
public sealed record PerformanceMetrics(
    double? TotalDurationSeconds,
    double AverageNodeDurationMs,
    long MaxNodeDurationMs,
    int MaxConcurrent,
    int Attempts,
    long TokensIn,
    long TokensOut);

public sealed record SessionListResponse(IReadOnlyList<SessionListItem> Sessions, int Page, int PageSize, int Total);

public sealed record SessionListItem(
    string SessionId,
    string CanvasPath,
    string Status,
    int TotalNodes,
    int CompletedNodes,
    int FailedNodes,
    double ProgressPercent,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt);
