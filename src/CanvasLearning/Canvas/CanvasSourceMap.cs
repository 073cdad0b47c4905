using System.Text.Json;

namespace CanvasLearning.Canvas;

/// <summary>Where a JSON value lies in the canvas text: UTF-8 byte offsets, end exclusive, BOM excluded.</summary>
internal readonly record struct TextSpan(int Start, int End)
{
    public int Length => End - Start;
}

/// <summary>
/// The structure of a canvas file as one forward pass of <see cref="Utf8JsonReader"/> finds it: the
/// typed nodes and edges, and where each of their objects and the two arrays lie in the text, so an
/// edit can touch those bytes only. No JSON tree is built: memory stays near the file's size.
/// </summary>
internal sealed record CanvasSourceMap
{
    public required List<CanvasNode> Nodes { get; init; }

    /// <summary>The span of each node object, parallel to <see cref="Nodes"/>.</summary>
    public required List<TextSpan> NodeSpans { get; init; }

    public required List<CanvasEdge> Edges { get; init; }

    /// <summary>The span of every object in <c>edges</c>, also those without both ends (not in <see cref="Edges"/>).</summary>
    public required List<TextSpan> EdgeSpans { get; init; }

    /// <summary>From <c>[</c> to just after <c>]</c>; null when the file has no such array.</summary>
    public TextSpan? NodesArray { get; init; }

    public TextSpan? EdgesArray { get; init; }

    /// <summary>The root object, from <c>{</c> to just after <c>}</c>.</summary>
    public required TextSpan Root { get; init; }

    /// <summary>True when every node object with two or more keys lists them in ordinal order.</summary>
    public bool NodeKeysSorted { get; init; }

    public bool EdgeKeysSorted { get; init; }
}
