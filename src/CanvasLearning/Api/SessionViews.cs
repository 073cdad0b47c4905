using CanvasLearning.Api.Contracts;
using CanvasLearning.Sessions;

namespace CanvasLearning.Api;

/// <summary>Turns stored sessions into the JSON answers of the contract.</summary>
public static class SessionViews
{
    public static ConfirmResponse Confirm(SessionSnapshot snapshot, DateTimeOffset estimatedCompletion, HttpRequest http)
    {
        var scheme = http.IsHttps ? "wss" : "ws";
        var id = snapshot.Session.SessionId;
        return new ConfirmResponse(id, snapshot.Session.Status, snapshot.GroupIds.Count, snapshot.TotalNodes,
            snapshot.Session.CreatedAt, estimatedCompletion, $"{scheme}://{http.Host}/ws/intelligent-parallel/{id}");
    }

    public static SessionStatusResponse Status(SessionSnapshot snapshot)
    {
        var s = snapshot.Session;
        var groups = snapshot.Nodes.GroupBy(n => n.GroupId, StringComparer.Ordinal).Select(Group).ToList();
        return new SessionStatusResponse(
            s.SessionId, s.CanvasPath, s.Status, groups.Count, snapshot.TotalNodes,
            groups.Count(g => g.Status is "completed" or "partial_failure" or "failed"),
            snapshot.CompletedNodes, snapshot.FailedNodes, snapshot.ProgressPercent,
            s.CreatedAt, s.StartedAt, s.CompletedAt, groups, Metrics(snapshot), s.LastSeq);
    }

    public static SessionListItem ListItem(SessionSummary summary) => new(
        summary.Session.SessionId, summary.Session.CanvasPath, summary.Session.Status, summary.TotalNodes,
        summary.CompletedNodes, summary.FailedNodes,
        Progress.Percent(summary.FinishedNodes, summary.TotalNodes),
        summary.Session.CreatedAt, summary.Session.CompletedAt);

    private static GroupStatus Group(IGrouping<string, SessionNodeRecord> nodes)
    {
        var list = nodes.ToList();
        var completed = list.Count(n => n.Status == NodeStatus.Completed);
        var failed = list.Count(n => n.Status == NodeStatus.Failed);
        var status = list.Any(n => n.Status == NodeStatus.Running) ? SessionStatus.Running
            : list.Any(n => n.Status == NodeStatus.Pending) ? (completed + failed > 0 ? SessionStatus.Running : SessionStatus.Pending)
            : list.Any(n => n.Status == NodeStatus.Cancelled) ? SessionStatus.Cancelled
            : SessionStatus.FromOutcome(completed, failed);
        return new GroupStatus(nodes.Key, status, list[0].AgentType, completed, list.Count,
            list.Where(n => n.Status == NodeStatus.Completed).Select(n => new NodeResult(n.NodeId, n.FilePath, n.FileSize ?? 0, n.DurationMs ?? 0, n.Model ?? "", n.TokensIn, n.TokensOut)).ToList(),
            list.Where(n => n.Status == NodeStatus.Failed).Select(n => new NodeError(n.NodeId, n.ErrorMessage ?? "", n.ErrorType)).ToList(),
            list.Select(n => new NodeState(n.NodeId, Title(n.Text), n.Status,
                n.Status == NodeStatus.Completed ? n.FilePath : null,
                n.Status == NodeStatus.Failed ? n.ErrorType : null,
                n.Status == NodeStatus.Failed ? n.ErrorMessage : null)).ToList());
    }

    /// <summary>The node's text as a one-line title for lists.</summary>
    private static string Title(string text)
    {
        var line = text.AsSpan().Trim();
        var end = line.IndexOfAny('\r', '\n');
        if (end >= 0)
        {
            line = line[..end].TrimEnd();
        }

        return line.Length <= 80 ? line.ToString() : string.Concat(line[..79], "…");
    }

    private static PerformanceMetrics Metrics(SessionSnapshot snapshot)
    {
        var s = snapshot.Session;
        var durations = snapshot.Nodes.Where(n => n.Status == NodeStatus.Completed && n.DurationMs is not null).Select(n => n.DurationMs!.Value).ToList();
        double? total = s.StartedAt is { } start && s.CompletedAt is { } end ? Math.Round((end - start).TotalSeconds, 3) : null;
        return new PerformanceMetrics(
            total,
            durations.Count == 0 ? 0 : Math.Round(durations.Average(), 1),
            durations.Count == 0 ? 0 : durations.Max(),
            s.MaxConcurrent,
            snapshot.Nodes.Sum(n => n.Attempts),
            snapshot.Nodes.Sum(n => n.TokensIn),
            snapshot.Nodes.Sum(n => n.TokensOut));
    }
}
