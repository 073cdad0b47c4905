using CanvasLearning.Agents;
using CanvasLearning.Canvas;
using CanvasLearning.Canvas.Placement;
using CanvasLearning.Sessions;

namespace CanvasLearning.Execution;

/// <summary>What every node of a session run shares: the canvas, read once, the group texts, and where the explanations go.</summary>
public sealed class SessionContext : IDisposable
{
    private static readonly IReadOnlyDictionary<string, CanvasWriteBack.ExpectedPlacement> NothingExpected = new Dictionary<string, CanvasWriteBack.ExpectedPlacement>();

    private readonly ILookup<string, SessionNodeRecord> _byGroup;
    // What the session's nodes are linked to, found in one pass over the canvas's edges when the first request needs it.
    private readonly Lazy<IReadOnlyDictionary<string, IReadOnlyList<(CanvasNode Node, string? Label)>>>? _neighbours;
    private IReadOnlyDictionary<string, CanvasWriteBack.ExpectedPlacement> _expected = NothingExpected;
    private ExplanationPlan? _plan;

    private SessionContext(SessionSnapshot snapshot, string? canvasFullPath, CanvasDocument? canvas, string? canvasError)
    {
        Session = snapshot.Session;
        CanvasFullPath = canvasFullPath;
        Canvas = canvas;
        CanvasError = canvasError;
        _byGroup = snapshot.Nodes.ToLookup(n => n.GroupId, StringComparer.Ordinal);
        _neighbours = canvas is null ? null : new(() => CanvasNeighbours.Of(canvas, snapshot.Nodes.Select(n => n.NodeId)));
    }

    public SessionRecord Session { get; }

    public string? CanvasFullPath { get; }

    public CanvasDocument? Canvas { get; }

    /// <summary>Why the canvas could not be read, when it could not; every node then fails with it.</summary>
    public string? CanvasError { get; }

    /// <summary>The session's canvas: <paramref name="confirmed"/> when its confirm just read it, else read (from the cache when the file holds the bytes it knows).</summary>
    public static async Task<SessionContext> LoadAsync(
        SessionSnapshot snapshot, Vault vault, CanvasCache canvases, CanvasDocument? confirmed = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(vault);
        ArgumentNullException.ThrowIfNull(canvases);
        try
        {
            var path = vault.ResolveCanvas(snapshot.Session.CanvasPath);
            return new SessionContext(snapshot, path, confirmed ?? await canvases.LoadAsync(path, cancellationToken), null);
        }
        catch (Exception ex) when (ex is VaultPathException or CanvasFormatException or IOException or UnauthorizedAccessException)
        {
            return new SessionContext(snapshot, null, null,
                $"the canvas '{snapshot.Session.CanvasPath}' cannot be read ({ex.Message}); restore it, then retry the session");
        }
    }

    /// <summary>
    /// Starts planning, beside the agent calls, where the explanations of <paramref name="nodes"/> go
    /// (<see cref="ExplanationPlan"/>): the same places whatever order the agents finish in.
    /// </summary>
    public void PlanSpots(IEnumerable<SessionNodeRecord> nodes, CancellationToken cancellationToken)
    {
        if (Canvas is { } canvas)
        {
            var ids = nodes.Select(n => n.NodeId).ToList();
            _plan = ExplanationPlan.Start(canvas, ids, cancellationToken);
        }
    }

    /// <summary>
    /// Announces to the canvas writer the explanation of each of <paramref name="nodes"/>
    /// (<see cref="CanvasWriteBack.Expect"/>): once the last has come, the session's last write is not held back by a pause.
    /// </summary>
    public void Announce(IEnumerable<SessionNodeRecord> nodes, Func<string, CanvasWriteBack.ExpectedPlacement> expect)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(expect);
        if (CanvasFullPath is { } canvas)
        {
            // Kept as they are made: Dispose settles whatever was announced, even if a later one failed.
            var expected = new Dictionary<string, CanvasWriteBack.ExpectedPlacement>(StringComparer.Ordinal);
            _expected = expected;
            foreach (var node in nodes)
            {
                if (!expected.ContainsKey(node.NodeId))
                {
                    expected[node.NodeId] = expect(canvas);
                }
            }
        }
    }

    /// <summary>The announcement of the node's explanation (<see cref="Announce"/>); dispose it when the node ends without one.</summary>
    public CanvasWriteBack.ExpectedPlacement? ExpectedFor(string nodeId) => _expected.GetValueOrDefault(nodeId);

    /// <summary>Gives up every announced explanation that has not come.</summary>
    public void Dispose()
    {
        foreach (var expected in _expected.Values)
        {
            expected.Dispose();
        }
    }

    /// <summary>The placement with its planned spot (and plan) when it has one; as it is otherwise (the writer then searches a spot).</summary>
    public async Task<ExplanationPlacement> PlannedAsync(ExplanationPlacement placement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(placement);
        if (_plan is not { } plan)
        {
            return placement;
        }

        // Its own spot, as soon as the plan has it (a plan that fails or is cancelled gives none:
        // the writer then places the explanation itself).
        var spot = await plan.SpotAsync(placement.SourceNodeId, cancellationToken);
        return spot is { } planned ? placement with { Spot = planned, Plan = plan } : placement;
    }

    public AgentRequest RequestFor(SessionNodeRecord node)
    {
        // The first few of the group are context enough (a prompt holds 20): all of them would make a
        // session's cost grow with the square of its group's size.
        var group = _byGroup[node.GroupId].Where(n => n.NodeId != node.NodeId).Take(AgentRequest.MaxGroupConcepts).Select(n => n.Text).ToList();
        var connected = _neighbours?.Value.GetValueOrDefault(node.NodeId) is { } neighbours ? Describe(neighbours) : [];
        return new AgentRequest(node.AgentType, node.NodeId, node.Text, group, connected, Path.GetFileNameWithoutExtension(Session.CanvasPath));
    }

    /// <summary>What the nodes linked to this one say, prefixed with the edge's label when it has one.</summary>
    public static IReadOnlyList<string> ConnectedConcepts(CanvasDocument canvas, string nodeId)
    {
        ArgumentNullException.ThrowIfNull(canvas);
        return Describe(CanvasNeighbours.Of(canvas, [nodeId])[nodeId]);
    }

    private static List<string> Describe(IReadOnlyList<(CanvasNode Node, string? Label)> neighbours) =>
        neighbours
            .Select(n => Describe(n.Node) is { Length: > 0 } text ? (n.Label is { Length: > 0 } label ? $"{label}: {text}" : text) : null)
            .OfType<string>()
            .ToList();

    private static string? Describe(CanvasNode node) => node.Type switch
    {
        "text" => node.Text,
        "file" => node.File,
        _ => null,
    };
}
