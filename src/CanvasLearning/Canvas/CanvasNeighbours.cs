namespace CanvasLearning.Canvas;

/// <summary>The neighbours of many nodes at once, from one pass over the edges.</summary>
public static class CanvasNeighbours
{
    /// <summary>
    /// For each of <paramref name="nodeIds"/>, the nodes an edge joins it to (either direction, in the
    /// edges' file order), each with the edge's label, once per (node, label); self-loops and edges to
    /// missing nodes lead nowhere, and an id not on the canvas gets an empty list. No index of every
    /// node's edges is built: a session of a few concepts on a big canvas pays one pass over its edges.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<(CanvasNode Node, string? Label)>> Of(CanvasDocument document, IEnumerable<string> nodeIds)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(nodeIds);
        var lists = new Dictionary<string, List<(CanvasNode Node, string? Label)>>(StringComparer.Ordinal);
        foreach (var id in nodeIds)
        {
            lists.TryAdd(id, []);
        }

        var seen = new HashSet<(string, string, string?)>();
        foreach (var edge in document.Edges)
        {
            Visit(edge.FromNode, edge.ToNode, edge.Label);
            Visit(edge.ToNode, edge.FromNode, edge.Label);
        }

        return lists.ToDictionary(p => p.Key, p => (IReadOnlyList<(CanvasNode, string?)>)p.Value, StringComparer.Ordinal);

        void Visit(string nodeId, string otherId, string? label)
        {
            // A self-loop does not make a node its own neighbour; edges to missing nodes lead nowhere.
            if (nodeId == otherId || !lists.TryGetValue(nodeId, out var list) || document.FindNode(otherId) is not { } other)
            {
                return;
            }

            if (seen.Add((nodeId, other.Id, label)))
            {
                list.Add((other, label));
            }
        }
    }
}
