namespace CanvasLearning.Canvas;

/// <summary>
/// What a canvas shows of our explanations: file nodes by the file they show, and which nodes an
/// edge already joins. Built once per canvas read (linear in its size) so each lookup is constant.
/// </summary>
public sealed class ExplainedNodes
{
    private readonly Dictionary<string, CanvasNode> _fileNodes = new(StringComparer.Ordinal);
    private readonly HashSet<(string, string)> _links = [];

    public ExplainedNodes(CanvasDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        foreach (var node in document.Nodes)
        {
            Added(node);
        }

        foreach (var edge in document.Edges)
        {
            Linked(edge);
        }
    }

    /// <summary>The first file node showing <paramref name="fileVaultPath"/> (vault-relative, forward slashes).</summary>
    public CanvasNode? FileNode(string fileVaultPath) => _fileNodes.GetValueOrDefault(Normalize(fileVaultPath));

    /// <summary>True when an edge joins the two nodes, in either direction.</summary>
    public bool IsLinked(string a, string b) => _links.Contains((a, b)) || _links.Contains((b, a));

    /// <summary>
    /// The explanation of <paramref name="sourceNodeId"/> the canvas shows: a file node inside
    /// <paramref name="folderVaultPath"/> that an edge from the source leads to. Null when there is none.
    /// </summary>
    public static CanvasNode? ExplanationOf(CanvasDocument document, string sourceNodeId, string folderVaultPath)
    {
        ArgumentNullException.ThrowIfNull(document);
        var edges = document.EdgesOf(sourceNodeId);
        if (edges.Count == 0)
        {
            return null;
        }

        var prefix = Normalize(folderVaultPath).TrimEnd('/') + "/";
        foreach (var edge in edges)
        {
            if (edge.FromNode == sourceNodeId && document.FindNode(edge.ToNode) is { Type: CanvasNodeTypes.File, File: { } file } node
                && Normalize(file).StartsWith(prefix, StringComparison.Ordinal))
            {
                return node;
            }
        }

        return null;
    }

    internal void Added(CanvasNode node)
    {
        if (node is { Type: CanvasNodeTypes.File, File: { Length: > 0 } file })
        {
            _fileNodes.TryAdd(Normalize(file), node);
        }
    }

    internal void Linked(CanvasEdge edge) => _links.Add((edge.FromNode, edge.ToNode));

    private static string Normalize(string path) => path.Replace('\\', '/').TrimStart('/');
}
