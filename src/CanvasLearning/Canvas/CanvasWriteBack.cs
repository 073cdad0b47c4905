using System.Collections.Concurrent;

namespace CanvasLearning.Canvas;

/// <summary>
/// Adds explanation nodes to canvas files. One writer per canvas file in the process: register
/// one instance as a singleton, because the per-file locks live in the instance.
/// </summary>
public sealed class CanvasWriteBack
{
    public const double NodeWidth = 400;
    public const double NodeHeight = 400;

    // Gap between the source node and its explanation, and between stacked nodes.
    private const double GapBelowSource = 60;
    private const double GapBetweenNodes = 40;

    // Obsidian (or the user) may save the file between our read and our rename; after this
    // many lost races in a row we write anyway rather than never finishing.
    private const int MaxAttempts = 5;

    // One entry per canvas written by this process; canvases are few, so entries are never removed.
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    /// <summary>
    /// Adds a <c>file</c> node for the explanation below its source node and an edge labelled with
    /// the agent type. Idempotent: when <see cref="ExplanationPlacement.FileNodeId"/> is already on
    /// the canvas nothing changes. Missing source node: the file node is still added, without edge.
    /// </summary>
    public Task AddExplanationAsync(string canvasFullPath, ExplanationPlacement placement, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(placement);
        return AddExplanationsAsync(canvasFullPath, [placement], cancellationToken);
    }

    /// <summary>
    /// <see cref="AddExplanationAsync"/> for several placements with one read and one write.
    /// Returns how many file nodes were added (0 when all were already there).
    /// </summary>
    public async Task<int> AddExplanationsAsync(string canvasFullPath, IReadOnlyList<ExplanationPlacement> placements, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(canvasFullPath);
        ArgumentNullException.ThrowIfNull(placements);
        foreach (var placement in placements)
        {
            Validate(placement);
        }

        var path = Path.GetFullPath(canvasFullPath);
        var gate = _locks.GetOrAdd(path, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await AddUnderLockAsync(path, placements, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    private static async Task<int> AddUnderLockAsync(string path, IReadOnlyList<ExplanationPlacement> placements, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            // Re-read every time: the user's edits since our last write must survive.
            var original = await File.ReadAllTextAsync(path, cancellationToken);
            var document = CanvasDocument.Parse(original);
            var added = 0;
            foreach (var placement in placements)
            {
                added += Add(document, placement) ? 1 : 0;
            }

            if (added == 0)
            {
                return 0;
            }

            var updated = document.ToJson();

            // Narrow the window for an outside writer (Obsidian) to the rename itself.
            var current = await File.ReadAllTextAsync(path, cancellationToken);
            if (current != original && attempt < MaxAttempts)
            {
                continue;
            }

            await AtomicFile.WriteAllTextAsync(path, updated, cancellationToken);
            return added;
        }
    }

    private static bool Add(CanvasDocument document, ExplanationPlacement placement)
    {
        if (document.ContainsId(placement.FileNodeId))
        {
            return false;
        }

        var source = document.FindNode(placement.SourceNodeId);
        var (x, y) = source is null ? RightOfEverything(document) : Below(document, source);
        document.AddNode(new CanvasNode(
            placement.FileNodeId, CanvasNodeTypes.File, x, y, NodeWidth, NodeHeight, File: placement.FileVaultPath));

        if (source is not null && !document.ContainsId(placement.EdgeId))
        {
            document.AddEdge(new CanvasEdge(
                placement.EdgeId, source.Id, placement.FileNodeId, FromSide: "bottom", ToSide: "top", Label: placement.AgentType));
        }

        return true;
    }

    /// <summary>Right below the source; pushed further down past whatever it would cover.</summary>
    internal static (double X, double Y) Below(CanvasDocument document, CanvasNode source)
    {
        var x = Math.Round(source.X);
        var y = Math.Round(source.Bottom + GapBelowSource);

        // Groups around the source are where the explanation belongs, not obstacles: skipping
        // them keeps a canvas-wide group from sending every explanation to its bottom edge.
        var obstacles = document.Nodes.Where(n => !(n.Type == CanvasNodeTypes.Group && Encloses(n, source))).ToList();
        while (true)
        {
            var overlapping = obstacles.Where(n => Overlaps(n, x, y)).ToList();
            if (overlapping.Count == 0)
            {
                return (x, y);
            }

            // Every step moves strictly down past a node, so this ends.
            y = Math.Round(overlapping.Max(n => n.Bottom) + GapBetweenNodes);
        }
    }

    /// <summary>No source to sit under: to the right of everything, top-aligned with it.</summary>
    internal static (double X, double Y) RightOfEverything(CanvasDocument document)
    {
        var nodes = document.Nodes;
        return nodes.Count == 0
            ? (0, 0)
            : (Math.Round(nodes.Max(n => n.Right) + GapBelowSource), Math.Round(nodes.Min(n => n.Y)));
    }

    private static bool Overlaps(CanvasNode node, double x, double y) =>
        node.X < x + NodeWidth && x < node.Right && node.Y < y + NodeHeight && y < node.Bottom;

    private static bool Encloses(CanvasNode outer, CanvasNode inner) =>
        outer.X <= inner.X && outer.Y <= inner.Y && inner.Right <= outer.Right && inner.Bottom <= outer.Bottom;

    private static void Validate(ExplanationPlacement placement)
    {
        ArgumentNullException.ThrowIfNull(placement);
        ArgumentException.ThrowIfNullOrWhiteSpace(placement.SourceNodeId);
        ArgumentException.ThrowIfNullOrWhiteSpace(placement.FileNodeId);
        ArgumentException.ThrowIfNullOrWhiteSpace(placement.EdgeId);
        ArgumentException.ThrowIfNullOrWhiteSpace(placement.FileVaultPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(placement.AgentType);
    }
}

/// <param name="FileVaultPath">Vault-relative path of the Markdown file, forward slashes.</param>
public sealed record ExplanationPlacement(string SourceNodeId, string FileNodeId, string EdgeId, string FileVaultPath, string AgentType);
