using System.Text.Json.Serialization.Metadata;
using CanvasLearning.Api;

namespace CanvasLearning.Sessions;

/// <summary>The events one write transaction appends, numbered from the session's last seq.</summary>
internal sealed class EventLog(string sessionId, long lastSeq, DateTimeOffset now)
{
    private readonly List<SessionEvent> _events = [];

    public DateTimeOffset Now { get; } = now;

    public IReadOnlyList<SessionEvent> Events => _events;

    public void Append<T>(string type, T data, JsonTypeInfo<T> typeInfo)
    {
        var seq = lastSeq + _events.Count + 1;
        _events.Add(new SessionEvent(sessionId, seq, type, EventEnvelope.Create(type, sessionId, seq, Now, data, typeInfo)));
    }

    public void Progress(SessionSnapshot snapshot, string? groupId) =>
        Append(EventTypes.ProgressUpdate,
            new ProgressUpdateData(snapshot.ProgressPercent, snapshot.CompletedNodes, snapshot.TotalNodes, snapshot.FailedNodes, groupId),
            AppJsonContext.Default.ProgressUpdateData);

    public void GroupCompletedIfDone(SessionSnapshot snapshot, string groupId)
    {
        var nodes = snapshot.Nodes.Where(n => n.GroupId == groupId).ToList();
        if (nodes.All(n => NodeStatus.IsFinished(n.Status)))
        {
            Append(EventTypes.GroupCompleted,
                new GroupCompletedData(groupId, nodes[0].AgentType, nodes.Count(n => n.Status == NodeStatus.Completed), nodes.Count(n => n.Status == NodeStatus.Failed)),
                AppJsonContext.Default.GroupCompletedData);
        }
    }
}
