using System.Text.Json;
using System.Text.Json.Nodes;

namespace CanvasLearning.Canvas;

/// <summary>
/// A JSON Canvas (jsoncanvas.org 1.0) document. The JSON tree is the source of truth, so a
/// round trip keeps every field, node type and property order we do not know about; the typed
/// <see cref="Nodes"/> and <see cref="Edges"/> are views over it. Not thread-safe.
/// </summary>
public sealed class CanvasDocument
{
    private readonly JsonObject _root;
    private IReadOnlyList<CanvasNode>? _nodes;
    private IReadOnlyList<CanvasEdge>? _edges;
    private Dictionary<string, CanvasNode>? _nodesById;

    private CanvasDocument(JsonObject root) => _root = root;

    /// <summary>Parses a JSON Canvas document. Throws <see cref="CanvasFormatException"/> on bad input.</summary>
    public static CanvasDocument Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(json, nodeOptions: null, CanvasJson.ReadOptions);
        }
        catch (JsonException ex)
        {
            throw new CanvasFormatException(
                $"The canvas is not valid JSON: {ex.Message} Re-save it from Obsidian or fix it by hand.", ex);
        }

        if (parsed is not JsonObject root)
        {
            throw new CanvasFormatException(
                "The canvas must be a JSON object with \"nodes\" and \"edges\" arrays, e.g. {\"nodes\":[],\"edges\":[]}.");
        }

        Validate(root);
        return new CanvasDocument(root);
    }

    public static async Task<CanvasDocument> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        var json = await File.ReadAllTextAsync(path, cancellationToken);
        try
        {
            return Parse(json);
        }
        catch (CanvasFormatException ex)
        {
            // The file name tells the user which canvas to fix; the full server path is not theirs to see.
            throw new CanvasFormatException($"{Path.GetFileName(path)}: {ex.Message}", ex);
        }
    }

    /// <summary>Serializes back; fields and node types we do not know are kept as they were.</summary>
    public string ToJson() => _root.ToJsonString(CanvasJson.WriteOptions);

    public IReadOnlyList<CanvasNode> Nodes => _nodes ??= ReadNodes();

    public IReadOnlyList<CanvasEdge> Edges => _edges ??= ReadEdges();

    /// <summary>The first node with this id (ids should be unique; the first one wins when they are not).</summary>
    public CanvasNode? FindNode(string id) => NodesById.GetValueOrDefault(id);

    /// <summary>True when a node or an edge already uses <paramref name="id"/>.</summary>
    public bool ContainsId(string id) =>
        NodesById.ContainsKey(id) || Edges.Any(e => string.Equals(e.Id, id, StringComparison.Ordinal));

    /// <summary>Text nodes whose color matches (preset "1".."6" or "#rrggbb", case-insensitive), in file order.</summary>
    public IReadOnlyList<CanvasNode> TextNodesWithColor(string color)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(color);
        var wanted = color.Trim();

        // No name aliases ("purple"...): Obsidian's preset numbers render differently per theme.
        return Nodes
            .Where(n => n.Type == CanvasNodeTypes.Text
                && string.Equals(n.Color?.Trim(), wanted, StringComparison.OrdinalIgnoreCase))
            .ToList();
    }

    /// <summary>Nodes joined to <paramref name="nodeId"/> by an edge (either direction), with the edge's label.</summary>
    public IReadOnlyList<(CanvasNode Node, string? Label)> Neighbours(string nodeId)
    {
        var result = new List<(CanvasNode Node, string? Label)>();
        var seen = new HashSet<(string, string?)>();
        foreach (var edge in Edges)
        {
            var otherId = edge.FromNode == nodeId ? edge.ToNode : edge.ToNode == nodeId ? edge.FromNode : null;

            // A self-loop does not make a node its own neighbour; edges to missing nodes lead nowhere.
            if (otherId is null || otherId == nodeId || FindNode(otherId) is not { } other)
            {
                continue;
            }

            if (seen.Add((other.Id, edge.Label)))
            {
                result.Add((other, edge.Label));
            }
        }

        return result;
    }

    /// <summary>
    /// Appends a node with the standard fields only; geometry is rounded to integers as Obsidian
    /// writes it. Throws <see cref="InvalidOperationException"/> when the id is taken.
    /// </summary>
    public void AddNode(CanvasNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentException.ThrowIfNullOrWhiteSpace(node.Id);
        ArgumentException.ThrowIfNullOrWhiteSpace(node.Type);
        if (ContainsId(node.Id))
        {
            throw new InvalidOperationException($"The canvas already has a node or edge with id '{node.Id}'.");
        }

        // Obsidian's field order: identity, content, geometry, color.
        var obj = new JsonObject { ["id"] = node.Id, ["type"] = node.Type };
        CanvasJson.SetIfNotNull(obj, "text", node.Text);
        CanvasJson.SetIfNotNull(obj, "file", node.File);
        CanvasJson.SetIfNotNull(obj, "subpath", node.Subpath);
        CanvasJson.SetIfNotNull(obj, "url", node.Url);
        CanvasJson.SetIfNotNull(obj, "label", node.Label);
        obj["x"] = ToInteger(node.X);
        obj["y"] = ToInteger(node.Y);
        obj["width"] = ToInteger(node.Width);
        obj["height"] = ToInteger(node.Height);
        CanvasJson.SetIfNotNull(obj, "color", node.Color);

        GetOrCreateArray("nodes").Add(obj);
        Invalidate();
    }

    /// <summary>
    /// Appends an edge between two existing nodes. Throws <see cref="InvalidOperationException"/>
    /// when the id is taken or an end is missing: an edge to nowhere would be dropped by Obsidian.
    /// </summary>
    public void AddEdge(CanvasEdge edge)
    {
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

        var obj = new JsonObject { ["id"] = edge.Id, ["fromNode"] = edge.FromNode };
        CanvasJson.SetIfNotNull(obj, "fromSide", edge.FromSide);
        CanvasJson.SetIfNotNull(obj, "fromEnd", edge.FromEnd);
        obj["toNode"] = edge.ToNode;
        CanvasJson.SetIfNotNull(obj, "toSide", edge.ToSide);
        CanvasJson.SetIfNotNull(obj, "toEnd", edge.ToEnd);
        CanvasJson.SetIfNotNull(obj, "color", edge.Color);
        CanvasJson.SetIfNotNull(obj, "label", edge.Label);

        GetOrCreateArray("edges").Add(obj);
        Invalidate();
    }

    private Dictionary<string, CanvasNode> NodesById => _nodesById ??= BuildIndex(Nodes);

    private static Dictionary<string, CanvasNode> BuildIndex(IReadOnlyList<CanvasNode> nodes)
    {
        var index = new Dictionary<string, CanvasNode>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            index.TryAdd(node.Id, node);
        }

        return index;
    }

    private static void Validate(JsonObject root)
    {
        if (root["nodes"] is { } nodes and not JsonArray)
        {
            throw new CanvasFormatException("\"nodes\" must be an array of node objects.");
        }

        if (root["edges"] is { } edges and not JsonArray)
        {
            throw new CanvasFormatException("\"edges\" must be an array of edge objects.");
        }

        var position = 0;
        foreach (var item in root["nodes"] as JsonArray ?? [])
        {
            position++;
            if (item is not JsonObject node)
            {
                throw new CanvasFormatException($"node #{position} is not an object; each node must look like {{\"id\": \"...\", \"type\": \"text\", ...}}.");
            }

            if (string.IsNullOrWhiteSpace(CanvasJson.String(node, "id")))
            {
                throw new CanvasFormatException($"node #{position} has no id; every node needs a non-empty string \"id\".");
            }
        }
    }

    private List<CanvasNode> ReadNodes()
    {
        var nodes = new List<CanvasNode>();
        foreach (var item in _root["nodes"] as JsonArray ?? [])
        {
            // Validated at parse time and AddNode only adds objects with ids.
            var obj = (JsonObject)item!;
            nodes.Add(new CanvasNode(
                CanvasJson.String(obj, "id")!,
                CanvasJson.String(obj, "type") ?? string.Empty,
                CanvasJson.Number(obj, "x"),
                CanvasJson.Number(obj, "y"),
                CanvasJson.Number(obj, "width"),
                CanvasJson.Number(obj, "height"),
                CanvasJson.StringOrNumber(obj, "color"),
                CanvasJson.String(obj, "text"),
                CanvasJson.String(obj, "file"))
            {
                Subpath = CanvasJson.String(obj, "subpath"),
                Url = CanvasJson.String(obj, "url"),
                Label = CanvasJson.String(obj, "label"),
            });
        }

        return nodes;
    }

    private List<CanvasEdge> ReadEdges()
    {
        var edges = new List<CanvasEdge>();
        foreach (var item in _root["edges"] as JsonArray ?? [])
        {
            // An edge without both ends means nothing; it stays in the JSON but not in the view.
            if (item is not JsonObject obj
                || CanvasJson.String(obj, "fromNode") is not { } from
                || CanvasJson.String(obj, "toNode") is not { } to)
            {
                continue;
            }

            edges.Add(new CanvasEdge(
                CanvasJson.String(obj, "id") ?? string.Empty,
                from,
                to,
                CanvasJson.String(obj, "fromSide"),
                CanvasJson.String(obj, "toSide"),
                CanvasJson.String(obj, "label"))
            {
                FromEnd = CanvasJson.String(obj, "fromEnd"),
                ToEnd = CanvasJson.String(obj, "toEnd"),
                Color = CanvasJson.StringOrNumber(obj, "color"),
            });
        }

        return edges;
    }

    private JsonArray GetOrCreateArray(string name)
    {
        if (_root[name] is JsonArray array)
        {
            return array;
        }

        array = [];
        _root[name] = array;
        return array;
    }

    private void Invalidate()
    {
        _nodes = null;
        _edges = null;
        _nodesById = null;
    }

    private static long ToInteger(double value) =>
        double.IsFinite(value) ? (long)Math.Round(value, MidpointRounding.AwayFromZero) : 0;
}

public sealed record CanvasNode(
    string Id, string Type, double X, double Y, double Width, double Height,
    string? Color = null, string? Text = null, string? File = null)
{
    /// <summary>For <c>file</c> nodes: a heading or block inside the file, starting with #.</summary>
    public string? Subpath { get; init; }

    /// <summary>For <c>link</c> nodes.</summary>
    public string? Url { get; init; }

    /// <summary>For <c>group</c> nodes.</summary>
    public string? Label { get; init; }

    public double Right => X + Width;

    public double Bottom => Y + Height;
}

public sealed record CanvasEdge(
    string Id, string FromNode, string ToNode,
    string? FromSide = null, string? ToSide = null, string? Label = null)
{
    /// <summary><c>none</c> or <c>arrow</c>.</summary>
    public string? FromEnd { get; init; }

    public string? ToEnd { get; init; }

    public string? Color { get; init; }
}

/// <summary>The node types of JSON Canvas 1.0; other types are kept but not interpreted.</summary>
public static class CanvasNodeTypes
{
    public const string Text = "text";
    public const string File = "file";
    public const string Link = "link";
    public const string Group = "group";
}

public sealed class CanvasFormatException(string message, Exception? inner = null) : Exception(message, inner);
