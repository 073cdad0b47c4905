using CanvasLearning.Agents;
using CanvasLearning.Canvas;
using CanvasLearning.Sessions;

namespace CanvasLearning.Execution;

/// <summary>What every node of a session run shares: the canvas, read once, and the group texts.</summary>
public sealed class SessionContext
{
    private readonly ILookup<string, SessionNodeRecord> _byGroup;

    private SessionContext(SessionSnapshot snapshot, string? canvasFullPath, CanvasDocument? canvas, string? canvasError)
    {
        Session = snapshot.Session;
        CanvasFullPath = canvasFullPath;
        Canvas = canvas;
        CanvasError = canvasError;
        _byGroup = snapshot.Nodes.ToLookup(n => n.GroupId, StringComparer.Ordinal);
    }

    public SessionRecord Session { get; }

    public string? CanvasFullPath { get; }

    public CanvasDocument? Canvas { get; }

    /// <summary>Why the canvas could not be read, when it could not; every node then fails with it.</summary>
    public string? CanvasError { get; }

    public static async Task<SessionContext> LoadAsync(SessionSnapshot snapshot, Vault vault, CanvasCache canvases, CancellationToken cancellationToken = default)
    {
        try
        {
            var path = vault.ResolveCanvas(snapshot.Session.CanvasPath);
            return new SessionContext(snapshot, path, await canvases.LoadAsync(path, cancellationToken), null);
        }
        catch (Exception ex) when (ex is VaultPathException or CanvasFormatException or IOException or UnauthorizedAccessException)
        {
            return new SessionContext(snapshot, null, null,
                $"the canvas '{snapshot.Session.CanvasPath}' cannot be read ({ex.Message}); restore it, then retry the session");
        }
    }

    public AgentRequest RequestFor(SessionNodeRecord node)
    {
        // The first few of the group are context enough (a prompt holds 20): all of them would make a
        // session's cost grow with the square of its group's size.
        var group = _byGroup[node.GroupId].Where(n => n.NodeId != node.NodeId).Take(AgentRequest.MaxGroupConcepts).Select(n => n.Text).ToList();
        var connected = Canvas is null ? [] : ConnectedConcepts(Canvas, node.NodeId);
        return new AgentRequest(node.AgentType, node.NodeId, node.Text, group, connected, Path.GetFileNameWithoutExtension(Session.CanvasPath));
    }

    /// <summary>What the nodes linked to this one say, prefixed with the edge's label when it has one.</summary>
    public static IReadOnlyList<string> ConnectedConcepts(CanvasDocument canvas, string nodeId) =>
        canvas.Neighbours(nodeId)
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
