namespace CanvasLearning.Sessions;

/// <summary>A session as confirmed by the user, before anything ran.</summary>
public sealed record NewSession(
    string SessionId,
    string CanvasPath,
    int MaxConcurrent,
    int TimeoutSeconds,
    string AgentProvider,
    DateTimeOffset CreatedAt,
    IReadOnlyList<NewSessionNode> Nodes);

/// <summary>One node to explain; <paramref name="FilePath"/> is planned at confirm time so a resume writes the same file.</summary>
public sealed record NewSessionNode(string GroupId, string AgentType, string NodeId, string Text, string FilePath);

public sealed record SessionRecord(
    string SessionId,
    string CanvasPath,
    string Status,
    int MaxConcurrent,
    int TimeoutSeconds,
    string AgentProvider,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    long LastSeq);

public sealed record SessionNodeRecord(
    string GroupId,
    string AgentType,
    string NodeId,
    string Text,
    string Status,
    string FilePath,
    long? FileSize,
    string? ErrorMessage,
    string? ErrorType,
    int Attempts,
    long? DurationMs,
    string? Model,
    long TokensIn,
    long TokensOut);

/// <summary>A session with its nodes, read in one consistent transaction.</summary>
public sealed record SessionSnapshot(SessionRecord Session, IReadOnlyList<SessionNodeRecord> Nodes)
{
    public int TotalNodes => Nodes.Count;

    public int CompletedNodes => Nodes.Count(n => n.Status == NodeStatus.Completed);

    public int FailedNodes => Nodes.Count(n => n.Status == NodeStatus.Failed);

    public IReadOnlyList<string> GroupIds => Nodes.Select(n => n.GroupId).Distinct(StringComparer.Ordinal).ToList();

    public double ProgressPercent => Progress.Percent(Nodes.Count(n => NodeStatus.IsFinished(n.Status)), TotalNodes);
}

/// <summary>A node's output file as a session recorded it; <paramref name="InFlight"/> while its session has yet to finish it.</summary>
public sealed record RecordedOutput(string NodeId, string FilePath, bool InFlight, string SessionId);

/// <summary>A successful node outcome.</summary>
public sealed record NodeSuccess(long FileSize, long DurationMs, string Model, long TokensIn, long TokensOut);

/// <summary>A failed node outcome.</summary>
public sealed record NodeFailure(string ErrorType, string ErrorMessage, long DurationMs);

/// <summary>One page of the session list.</summary>
public sealed record SessionPage(IReadOnlyList<SessionSummary> Sessions, int Total);

/// <summary>A session's status, the end of its log and its counts: what a watcher is told first.</summary>
public sealed record SessionState(string Status, long LastSeq, int TotalNodes, int CompletedNodes, int FailedNodes, int FinishedNodes)
{
    public double ProgressPercent => Progress.Percent(FinishedNodes, TotalNodes);
}

public sealed record SessionSummary(SessionRecord Session, int TotalNodes, int CompletedNodes, int FailedNodes, int FinishedNodes);

public static class Progress
{
    /// <summary>Share of finished nodes, in percent, one decimal.</summary>
    public static double Percent(int finished, int total) =>
        total == 0 ? 100 : Math.Round(finished * 100.0 / total, 1);
}
