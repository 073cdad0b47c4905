using System.Text.Json.Serialization.Metadata;

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

    /// <summary>Appends an event whose whole frame the caller writes, given its seq.</summary>
    public void AppendFrame(string type, Func<long, string> frame)
    {
        var seq = lastSeq + _events.Count + 1;
        _events.Add(new SessionEvent(sessionId, seq, type, frame(seq)));
    }

    /// <summary>The session's progress; after a node's change, with that node's group and its counts.</summary>
    public void Progress(NodeCounts session, NodeProgress? node) =>
        Append(EventTypes.ProgressUpdate,
            new ProgressUpdateData(Sessions.Progress.Percent(session.Finished, session.Total), session.Completed, session.Total, session.Failed,
                node?.GroupId, node?.Group.Completed, node?.Group.Failed, node?.Group.Total),
            EventJsonContext.Default.ProgressUpdateData);

    public void GroupCompletedIfDone(NodeProgress node)
    {
        if (node.Group.Finished == node.Group.Total)
        {
            Append(EventTypes.GroupCompleted,
                new GroupCompletedData(node.GroupId, node.AgentType, node.Group.Completed, node.Group.Failed),
                EventJsonContext.Default.GroupCompletedData);
        }
    }
}

/// <summary>How many nodes there are, and how many completed, failed, or finished in any way.</summary>
internal sealed record NodeCounts(int Total, int Completed, int Failed, int Finished)
{
    public static NodeCounts Of(SessionSnapshot snapshot) => new(
        snapshot.TotalNodes, snapshot.CompletedNodes, snapshot.FailedNodes, snapshot.Nodes.Count(n => NodeStatus.IsFinished(n.Status)));
}

/// <summary>One node and the counts of its session and its group, read in the transaction that changed it.</summary>
internal sealed record NodeProgress(string NodeId, string GroupId, string AgentType, string FilePath, NodeCounts Session, NodeCounts Group);
