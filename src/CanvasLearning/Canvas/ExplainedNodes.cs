using System.Runtime.CompilerServices;

namespace CanvasLearning.Canvas;

/// <summary>
/// What a canvas shows of our explanations: file nodes by the file they show, and which nodes an
/// edge already joins. Built once per canvas read (linear in its size) so each lookup is constant;
/// the edges are indexed only when first asked about (only a concept explained before needs them).
/// </summary>
public sealed class ExplainedNodes
{
    // What ExplanationsIn found in each frozen document still alive (the folder of a canvas does not change).
    private static readonly ConditionalWeakTable<CanvasDocument, FoundIn> Found = new();

    private readonly Dictionary<string, CanvasNode> _fileNodes = new(StringComparer.Ordinal);

    // The document's edges when this was built: a document's edges are only ever appended to, so
    // the first _edgeCount stay what they were; the ones added since come through Linked.
    private readonly IReadOnlyList<CanvasEdge> _edges;
    private readonly int _edgeCount;
    private readonly List<CanvasEdge> _linkedSince = [];
    private HashSet<(string, string)>? _links;

    public ExplainedNodes(CanvasDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        foreach (var node in document.Nodes)
        {
            Added(node);
        }

        (_edges, _edgeCount) = (document.Edges, document.Edges.Count);
    }

    /// <summary>The first file node showing <paramref name="fileVaultPath"/> (vault-relative, forward slashes).</summary>
    public CanvasNode? FileNode(string fileVaultPath) => _fileNodes.GetValueOrDefault(Normalize(fileVaultPath));

    /// <summary>True when an edge joins the two nodes, in either direction.</summary>
    public bool IsLinked(string a, string b)
    {
        var links = Links();
        return links.Contains((a, b)) || links.Contains((b, a));
    }

    /// <summary>
    /// The explanations the canvas shows, by the text node they explain: for each text node, the
    /// first file node inside <paramref name="folderVaultPath"/> that an edge from it leads to (edges in
    /// file order). One pass over the edges, whatever the canvas's size. Where ids repeat, the first
    /// node of an id is the one meant (as <see cref="CanvasDocument.FindNode"/> finds it).
    /// </summary>
    /// <remarks>
    /// A frozen document (the cache's) cannot change, so what was found in it is kept with it: analyze
    /// and the confirm after it look in the same document, and only the first pays for the pass.
    /// </remarks>
    public static IReadOnlyDictionary<string, CanvasNode> ExplanationsIn(CanvasDocument document, string folderVaultPath)
    {
        ArgumentNullException.ThrowIfNull(document);
        var prefix = Normalize(folderVaultPath).TrimEnd('/') + "/";
        if (!document.IsFrozen)
        {
            return Find(document, prefix);
        }

        if (Found.TryGetValue(document, out var kept) && kept.Prefix == prefix)
        {
            return kept.Explanations;
        }

        // Read-only for every caller from now on: they share it.
        var explanations = Find(document, prefix).AsReadOnly();
        Found.AddOrUpdate(document, new FoundIn(prefix, explanations));
        return explanations;
    }

    private static Dictionary<string, CanvasNode> Find(CanvasDocument document, string prefix)
    {
        var found = new Dictionary<string, CanvasNode>(StringComparer.Ordinal);
        foreach (var edge in document.Edges)
        {
            if (!found.ContainsKey(edge.FromNode)
                && document.FindNode(edge.ToNode) is { Type: CanvasNodeTypes.File, File: { } file } node
                && Normalize(file).StartsWith(prefix, StringComparison.Ordinal)
                && document.FindNode(edge.FromNode) is { Type: CanvasNodeTypes.Text })
            {
                found[edge.FromNode] = node;
            }
        }

        return found;
    }

    internal void Added(CanvasNode node)
    {
        if (node is { Type: CanvasNodeTypes.File, File: { Length: > 0 } file })
        {
            _fileNodes.TryAdd(Normalize(file), node);
        }
    }

    internal void Linked(CanvasEdge edge)
    {
        if (_links is { } links)
        {
            links.Add((edge.FromNode, edge.ToNode));
        }
        else
        {
            _linkedSince.Add(edge);
        }
    }

    private HashSet<(string, string)> Links()
    {
        if (_links is null)
        {
            var links = new HashSet<(string, string)>(_edgeCount + _linkedSince.Count);
            for (var i = 0; i < _edgeCount; i++)
            {
                links.Add((_edges[i].FromNode, _edges[i].ToNode));
            }

            foreach (var edge in _linkedSince)
            {
                links.Add((edge.FromNode, edge.ToNode));
            }

            _links = links;
            _linkedSince.Clear();
        }

        return _links;
    }

    private sealed record FoundIn(string Prefix, IReadOnlyDictionary<string, CanvasNode> Explanations);

    private static string Normalize(string path) => path.Replace('\\', '/').TrimStart('/');
}
