namespace CanvasLearning.Canvas;

// CONTRACT STUB: to be implemented (JSON Canvas read/write with a faithful round trip).
public sealed class CanvasDocument
{
    /// <summary>Parses a JSON Canvas document. Throws <see cref="CanvasFormatException"/> on bad input.</summary>
    public static CanvasDocument Parse(string json) => throw new NotImplementedException();

    public static Task<CanvasDocument> LoadAsync(string path, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>Serializes back; fields and node types we do not know are kept as they were.</summary>
    public string ToJson() => throw new NotImplementedException();

    public IReadOnlyList<CanvasNode> Nodes => throw new NotImplementedException();

    public IReadOnlyList<CanvasEdge> Edges => throw new NotImplementedException();

    public CanvasNode? FindNode(string id) => throw new NotImplementedException();

    /// <summary>Text nodes whose color matches (preset "1".."6" or "#rrggbb", case-insensitive), in file order.</summary>
    public IReadOnlyList<CanvasNode> TextNodesWithColor(string color) => throw new NotImplementedException();

    /// <summary>Nodes joined to <paramref name="nodeId"/> by an edge (either direction), with the edge's label.</summary>
    public IReadOnlyList<(CanvasNode Node, string? Label)> Neighbours(string nodeId) => throw new NotImplementedException();
}

public sealed record CanvasNode(
    string Id, string Type, double X, double Y, double Width, double Height,
    string? Color = null, string? Text = null, string? File = null);

public sealed record CanvasEdge(
    string Id, string FromNode, string ToNode,
    string? FromSide = null, string? ToSide = null, string? Label = null);

public sealed class CanvasFormatException(string message, Exception? inner = null) : Exception(message, inner);
