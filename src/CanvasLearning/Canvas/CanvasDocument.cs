using System.Text;

namespace CanvasLearning.Canvas;

/// <summary>
/// A JSON Canvas (jsoncanvas.org 1.0) document, kept as the file's own text. The typed
/// <see cref="Nodes"/> and <see cref="Edges"/> are read from it in one pass, with where each object
/// lies; <see cref="ToJson"/> returns that text with only the added objects inserted, in the
/// file's own style, so every byte of what we did not add stays as it was. Not thread-safe.
/// </summary>
public sealed class CanvasDocument
{
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    private readonly byte[] _text;
    private readonly int _bodyStart;
    private readonly CanvasSourceMap _map;
    private readonly List<CanvasNode> _nodes;
    private readonly List<CanvasEdge> _edges;
    private readonly List<CanvasNode> _addedNodes = [];
    private readonly List<CanvasEdge> _addedEdges = [];
    private readonly Dictionary<string, CanvasNode> _nodesById;
    private readonly HashSet<string> _edgeIds;
    private bool _frozen;

    // The last ToUtf8 of an in-place edit, and where its objects lie: what Successor hands on.
    private (byte[] Bytes, EditedSpans Spans)? _output;

    /// <summary>A document of <paramref name="map"/>'s objects whose indexes are already built (and belong to it from now on).</summary>
    private CanvasDocument(byte[] text, int bodyStart, CanvasSourceMap map, Dictionary<string, CanvasNode> nodesById, HashSet<string> edgeIds)
    {
        (_text, _bodyStart, _map, _nodes, _edges) = (text, bodyStart, map, map.Nodes, map.Edges);
        (_nodesById, _edgeIds) = (nodesById, edgeIds);
    }

    /// <summary>Parses a JSON Canvas document. Throws <see cref="CanvasFormatException"/> on bad input.</summary>
    public static CanvasDocument Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Parse(Encoding.UTF8.GetBytes(json));
    }

    /// <summary>Parses the bytes of a canvas file (UTF-8, with or without BOM).</summary>
    public static CanvasDocument Parse(byte[] utf8)
    {
        ArgumentNullException.ThrowIfNull(utf8);
        var bodyStart = utf8.AsSpan().StartsWith(Bom) ? Bom.Length : 0;
        var map = CanvasReader.Read(utf8.AsSpan(bodyStart), out var nodesById);
        var edgeIds = new HashSet<string>(map.Edges.Count, StringComparer.Ordinal);
        foreach (var edge in map.Edges)
        {
            edgeIds.Add(edge.Id);
        }

        return new CanvasDocument(utf8, bodyStart, map, nodesById, edgeIds);
    }

    /// <summary>Reads and parses a canvas file; format errors say what is wrong (callers name the file).</summary>
    public static async Task<CanvasDocument> LoadAsync(string path, CancellationToken cancellationToken = default) =>
        Parse(await File.ReadAllBytesAsync(path, cancellationToken));

    /// <summary>
    /// Makes the document read-only and safe to share between threads (its one lazy index is built under a lock):
    /// adding to it throws from then on. <see cref="CanvasCache"/> hands out frozen documents.
    /// </summary>
    internal CanvasDocument Freeze()
    {
        _frozen = true;
        return this;
    }

    /// <summary>
    /// A copy that can be added to, sharing this document's text: what the canvas writer edits when
    /// it finds the bytes it would read already parsed. Costs a copy of the lists and indexes, not a parse.
    /// </summary>
    internal CanvasDocument Fork() =>
        new(_text, _bodyStart, _map with { Nodes = [.. _nodes], Edges = [.. _edges] },
            new Dictionary<string, CanvasNode>(_nodesById, StringComparer.Ordinal), new HashSet<string>(_edgeIds, StringComparer.Ordinal));

    /// <summary>
    /// The document of the bytes the last <see cref="ToUtf8"/> returned, as a parse of them would
    /// give it, without parsing: known when the objects were inserted in place (null after a full
    /// rewrite, a filled empty array, or an addition since). The writer keeps it for its next batch.
    /// This document hands its lists and indexes on to it (nothing is copied) and is read-only from
    /// then on; read nothing more from it.
    /// </summary>
    internal CanvasDocument? Successor()
    {
        if (_output is not var (bytes, spans))
        {
            return null;
        }

        _frozen = true;
        _output = null;
        return new CanvasDocument(bytes, _bodyStart, _map with
        {
            Nodes = _nodes,
            NodeSpans = spans.NodeSpans,
            Edges = _edges,
            EdgeSpans = spans.EdgeSpans,
            NodesArray = spans.NodesArray,
            EdgesArray = spans.EdgesArray,
            Root = spans.Root,
        }, _nodesById, _edgeIds);
    }

    /// <summary>True once <see cref="Freeze"/> made it read-only.</summary>
    internal bool IsFrozen => _frozen;

    /// <summary>True once something was added: <see cref="ToJson"/> then differs from the text read.</summary>
    public bool HasChanges => _addedNodes.Count > 0 || _addedEdges.Count > 0;

    /// <summary>
    /// The text: exactly the file read when nothing was added; otherwise the same bytes with the
    /// added objects inserted. A layout we cannot edit in place gets a full, correct rewrite instead.
    /// </summary>
    public string ToJson() => Encoding.UTF8.GetString(ToUtf8());

    /// <summary><see cref="ToJson"/> as the bytes of the file, BOM included when it had one.</summary>
    public byte[] ToUtf8()
    {
        if (!HasChanges)
        {
            return _text;
        }

        var body = _text.AsSpan(_bodyStart);
        if (CanvasEditor.Insert(body, _map, _addedNodes, _addedEdges) is { } edit)
        {
            var bytes = _bodyStart == 0 ? edit.Text : [.. Bom, .. edit.Text];
            _output = edit.Spans is { } spans ? (bytes, spans) : null;
            return bytes;
        }

        _output = null;
        var rewritten = CanvasFullWriter.Write(body, _addedNodes, _addedEdges);
        return _bodyStart == 0 ? rewritten : [.. Bom, .. rewritten];
    }

    public IReadOnlyList<CanvasNode> Nodes => _nodes;

    /// <summary>Where the objects lie in the text read (tests compare it with a parse).</summary>
    internal CanvasSourceMap Map => _map;

    public IReadOnlyList<CanvasEdge> Edges => _edges;

    /// <summary>The first node with this id (ids should be unique; the first one wins when they are not).</summary>
    public CanvasNode? FindNode(string id) => _nodesById.GetValueOrDefault(id);

    /// <summary>True when a node or an edge already uses <paramref name="id"/>.</summary>
    public bool ContainsId(string id) => _nodesById.ContainsKey(id) || _edgeIds.Contains(id);

    /// <summary>Text nodes whose color matches (preset "1".."6" or "#rrggbb", case-insensitive), in file order.</summary>
    public IReadOnlyList<CanvasNode> TextNodesWithColor(string color)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(color);
        var wanted = color.Trim();

        // No name aliases ("purple"...): Obsidian's preset numbers render differently per theme.
        return _nodes
            .Where(n => n.Type == CanvasNodeTypes.Text
                && string.Equals(n.Color?.Trim(), wanted, StringComparison.OrdinalIgnoreCase))
            .ToList();
    }

    /// <summary>
    /// Appends a node with the standard fields only; geometry is rounded to integers as Obsidian
    /// writes it. Throws <see cref="InvalidOperationException"/> when the id is taken.
    /// </summary>
    public void AddNode(CanvasNode node)
    {
        ThrowIfFrozen();
        ArgumentNullException.ThrowIfNull(node);
        ArgumentException.ThrowIfNullOrWhiteSpace(node.Id);
        ArgumentException.ThrowIfNullOrWhiteSpace(node.Type);
        if (ContainsId(node.Id))
        {
            throw new InvalidOperationException($"The canvas already has a node or edge with id '{node.Id}'.");
        }

        var rounded = node with
        {
            X = Math.Round(node.X, MidpointRounding.AwayFromZero),
            Y = Math.Round(node.Y, MidpointRounding.AwayFromZero),
            Width = Math.Round(node.Width, MidpointRounding.AwayFromZero),
            Height = Math.Round(node.Height, MidpointRounding.AwayFromZero),
        };
        _output = null;
        _addedNodes.Add(rounded);
        _nodes.Add(rounded);
        _nodesById.TryAdd(rounded.Id, rounded);
    }

    /// <summary>
    /// Appends an edge between two existing nodes. Throws <see cref="InvalidOperationException"/>
    /// when the id is taken or an end is missing: an edge to nowhere would be dropped by Obsidian.
    /// </summary>
    public void AddEdge(CanvasEdge edge)
    {
        ThrowIfFrozen();
        ArgumentNullException.ThrowIfNull(edge);
        ArgumentException.ThrowIfNullOrWhiteSpace(edge.Id);
        if (ContainsId(edge.Id))
        {
            throw new InvalidOperationException($"The canvas already has a node or edge with id '{edge.Id}'.");
        }

        foreach (var end in new[] { edge.FromNode, edge.ToNode })
        {
            if (FindNode(end) is null)
            {
                throw new InvalidOperationException($"Edge '{edge.Id}' points at node '{end}', which is not on the canvas.");
            }
        }

        _output = null;
        _addedEdges.Add(edge);
        _edges.Add(edge);
        _edgeIds.Add(edge.Id);
    }

    private void ThrowIfFrozen()
    {
        if (_frozen)
        {
            throw new InvalidOperationException("this canvas document is shared and read-only; parse the file again to change it");
        }
    }
}
