using CanvasLearning.Api.Contracts;
using CanvasLearning.Sessions;

namespace CanvasLearning.Cli.Live;

/// <summary>A node as the terminal shows it.</summary>
internal sealed record NodeLine(string NodeId, string GroupId, string Title, string Status, string? FilePath, string? Error, long? DurationMs);

/// <summary>A group's counts, for its bar.</summary>
internal sealed record GroupState(string GroupId, string AgentType, int Total, int Completed, int Failed, int Finished);

/// <summary>What a display draws at one moment.</summary>
internal sealed record ViewState(string Status, int Total, int Completed, int Failed, int Finished, IReadOnlyList<GroupState> Groups, IReadOnlyList<NodeLine> Running);

/// <summary>
/// A watched session's state, built from a polled snapshot and then the events after its
/// <c>last_seq</c> (socket or log), or from snapshots alone when polling. Node statuses are the one
/// truth; group and session counts are read from them. Safe to update and read from different threads.
/// </summary>
internal sealed class SessionView(string sessionId)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, NodeLine> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _agents = new(StringComparer.Ordinal);
    private readonly HashSet<string> _announced = new(StringComparer.Ordinal);
    private bool _initialized;

    public string SessionId { get; } = sessionId;

    /// <summary>Seq of the last event (or snapshot) applied.</summary>
    public long LastSeq { get; private set; }

    public string Status { get; private set; } = SessionStatus.Pending;

    public bool Ended => SessionStatus.IsTerminal(Status);

    /// <summary>A (re)start was logged: which nodes are pending again only a snapshot tells.</summary>
    public bool RefreshWanted { get; set; }

    /// <summary>A node finished (once per node and run), in the order seen.</summary>
    public event Action<NodeLine, ViewState>? NodeFinished;

    /// <summary>Every node of a group finished.</summary>
    public event Action<GroupState>? GroupFinished;

    /// <summary>An event was applied (each seq once).</summary>
    public event Action<FeedEvent>? EventApplied;

    /// <summary>A polled snapshot (no socket) brought something new.</summary>
    public event Action<SessionStatusResponse>? Polled;

    /// <param name="polled">The snapshot comes from polling instead of the socket: <see cref="Polled"/> tells when it is news.</param>
    public void Apply(SessionStatusResponse snapshot, bool polled = false)
    {
        var finished = new List<NodeLine>();
        var groups = new List<GroupState>();
        ViewState state;
        bool news;
        lock (_lock)
        {
            if (snapshot.LastSeq < LastSeq)
            {
                // Older than the events applied: only who is running now is news.
                foreach (var node in snapshot.Groups.SelectMany(g => g.Nodes))
                {
                    if (_nodes.TryGetValue(node.NodeId, out var mine) && mine.Status is NodeStatus.Pending or NodeStatus.Running && node.Status is NodeStatus.Pending or NodeStatus.Running)
                    {
                        _nodes[node.NodeId] = mine with { Status = node.Status };
                    }
                }

                return;
            }

            foreach (var group in snapshot.Groups)
            {
                _agents[group.GroupId] = group.AgentType;
                var durations = group.Results.ToDictionary(r => r.NodeId, r => r.DurationMs, StringComparer.Ordinal);
                foreach (var node in group.Nodes)
                {
                    var line = new NodeLine(node.NodeId, group.GroupId, node.Title, node.Status, node.FilePath, node.ErrorMessage,
                        durations.TryGetValue(node.NodeId, out var ms) ? ms : null);
                    var before = _nodes.GetValueOrDefault(node.NodeId);
                    _nodes[node.NodeId] = line;
                    if (_initialized && NodeStatus.IsFinished(line.Status) && line.Status != NodeStatus.Cancelled && (before is null || !NodeStatus.IsFinished(before.Status)))
                    {
                        finished.Add(line);
                    }
                }
            }

            news = polled && _initialized && (snapshot.LastSeq > LastSeq || snapshot.Status != Status);
            LastSeq = snapshot.LastSeq;
            Status = snapshot.Status;
            if (RefreshWanted || !_initialized)
            {
                _announced.Clear();
                _announced.UnionWith(GroupsLocked().Where(g => g.Finished == g.Total).Select(g => g.GroupId));
            }
            else
            {
                groups.AddRange(NewlyFinishedGroupsLocked());
            }

            RefreshWanted = false;
            _initialized = true;
            state = StateLocked();
        }

        if (news)
        {
            Polled?.Invoke(snapshot);
        }

        Raise(finished, groups, state);
    }

    public void Apply(FeedEvent e)
    {
        NodeLine? finished = null;
        var groups = new List<GroupState>();
        ViewState state;
        lock (_lock)
        {
            if (e.Seq <= LastSeq)
            {
                return;
            }

            LastSeq = e.Seq;
            switch (e.Type)
            {
                case EventTypes.TaskCompleted or EventTypes.TaskFailed when e.NodeId is { } id && _nodes.TryGetValue(id, out var node):
                    var completed = e.Type == EventTypes.TaskCompleted;
                    finished = node with
                    {
                        Status = completed ? NodeStatus.Completed : NodeStatus.Failed,
                        FilePath = completed ? e.FilePath : null,
                        Error = completed ? null : e.ErrorMessage,
                        DurationMs = e.DurationMs,
                    };
                    _nodes[id] = finished;
                    break;
                case EventTypes.GroupCompleted:
                    groups.AddRange(NewlyFinishedGroupsLocked());
                    break;
                case EventTypes.ProgressUpdate when e.GroupId is null:
                    RefreshWanted = true;
                    break;
                case EventTypes.SessionCompleted:
                    Status = e.Status ?? SessionStatus.Completed;
                    break;
            }

            state = StateLocked();
        }

        EventApplied?.Invoke(e);
        Raise(finished is null ? [] : [finished], groups, state);
    }

    /// <summary>
    /// Forgets what the snapshot said about outcomes, so the events from seq 1 tell each of them
    /// (a session this command just started: a line per node, however fast the first ones were).
    /// </summary>
    public void Rewind()
    {
        lock (_lock)
        {
            foreach (var (id, node) in _nodes.ToList())
            {
                _nodes[id] = node with { Status = Sessions.NodeStatus.Pending, FilePath = null, Error = null, DurationMs = null };
            }

            _announced.Clear();
            LastSeq = 0;
            Status = SessionStatus.Running;
        }
    }

    public ViewState Read()
    {
        lock (_lock)
        {
            return StateLocked();
        }
    }

    private void Raise(List<NodeLine> finished, List<GroupState> groups, ViewState state)
    {
        foreach (var line in finished)
        {
            NodeFinished?.Invoke(line, state);
        }

        foreach (var group in groups)
        {
            GroupFinished?.Invoke(group);
        }
    }

    private List<GroupState> NewlyFinishedGroupsLocked() =>
        GroupsLocked().Where(g => g.Finished == g.Total && _announced.Add(g.GroupId)).ToList();

    private List<GroupState> GroupsLocked() =>
        _nodes.Values.GroupBy(n => n.GroupId, StringComparer.Ordinal).Select(g => new GroupState(
            g.Key, _agents.GetValueOrDefault(g.Key, ""), g.Count(),
            g.Count(n => n.Status == NodeStatus.Completed), g.Count(n => n.Status == NodeStatus.Failed),
            g.Count(n => NodeStatus.IsFinished(n.Status)))).ToList();

    private ViewState StateLocked()
    {
        var nodes = _nodes.Values;
        return new ViewState(Status, nodes.Count,
            nodes.Count(n => n.Status == NodeStatus.Completed), nodes.Count(n => n.Status == NodeStatus.Failed),
            nodes.Count(n => NodeStatus.IsFinished(n.Status)), GroupsLocked(),
            nodes.Where(n => n.Status == NodeStatus.Running).ToList());
    }
}
