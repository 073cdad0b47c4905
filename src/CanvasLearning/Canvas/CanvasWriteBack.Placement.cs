using CanvasLearning.Canvas.Placement;

namespace CanvasLearning.Canvas;

/// <summary>What one batch of <see cref="CanvasWriteBack"/> does to the document: where each explanation goes, and its edge.</summary>
public sealed partial class CanvasWriteBack
{
    /// <summary>The document to edit (a fork of a frozen one) and its index of our file nodes and edges; the placer comes with the batch (<see cref="PlacerFor"/>).</summary>
    private static Kept Start(byte[] bytes, CanvasDocument read)
    {
        var document = read.IsFrozen ? read.Fork() : read;
        return new Kept(bytes, document, new ExplainedNodes(document), null, read);
    }

    /// <summary>
    /// A session plan's placer when one of the batch planned on this very document (<paramref name="read"/>:
    /// its index holds the canvas and the planned spots), else one built from the nodes of <paramref name="document"/>.
    /// </summary>
    private static ExplanationPlacer PlacerFor(CanvasDocument read, List<Request> batch, CanvasDocument document)
    {
        ExplanationPlacer? placer = null;
        foreach (var request in batch)
        {
            foreach (var placement in request.Placements)
            {
                placer ??= placement.Plan?.TakePlacer(read);
            }
        }

        return placer ?? new ExplanationPlacer(document.Nodes);
    }

    /// <summary>
    /// Adds the file node and edge unless the canvas shows this explanation already: a file node
    /// of that file (wherever the learner moved it, whatever its size) or of that id. A file node
    /// already there without its edge from the source gets the edge back.
    /// </summary>
    private static bool Add(CanvasDocument document, ExplainedNodes explained, ExplanationPlacer placer, ExplanationPlacement placement)
    {
        var source = document.FindNode(placement.SourceNodeId);
        if ((explained.FileNode(placement.FileVaultPath) ?? document.FindNode(placement.FileNodeId)) is { } existing)
        {
            if (source is not null && !explained.IsLinked(source.Id, existing.Id) && !document.ContainsId(placement.EdgeId))
            {
                var (fromSide, toSide) = ExplanationPlacer.Sides(Rect.Of(source), Rect.Of(existing));
                AddEdge(document, explained, placement, source.Id, existing.Id, fromSide, toSide);
            }

            return false;
        }

        if (document.ContainsId(placement.FileNodeId))
        {
            return false;
        }

        var spot = source is null
            ? new PlacedNode(placer.Reserve(NodeWidth, NodeHeight), "", "")
            : Planned(placer, source, placement) ?? placer.Place(source, NodeWidth, NodeHeight);
        var node = new CanvasNode(placement.FileNodeId, CanvasNodeTypes.File, spot.Rect.X, spot.Rect.Y, NodeWidth, NodeHeight, File: placement.FileVaultPath);
        document.AddNode(node);
        explained.Added(node);
        if (source is not null && !document.ContainsId(placement.EdgeId))
        {
            AddEdge(document, explained, placement, source.Id, node.Id, spot.FromSide, spot.ToSide);
        }

        return true;
    }

    /// <summary>
    /// The planned spot (<see cref="ExplanationPlan"/>) when the source is where it was planned from and
    /// the spot is still free on the canvas as it is now.
    /// </summary>
    private static PlacedNode? Planned(ExplanationPlacer placer, CanvasNode source, ExplanationPlacement placement)
    {
        if (placement.Spot is not { } planned
            || (planned.SourceX, planned.SourceY, planned.SourceWidth, planned.SourceHeight) != (source.X, source.Y, source.Width, source.Height))
        {
            return null;
        }

        var (from, rect) = (Rect.Of(source), new Rect(planned.X, planned.Y, NodeWidth, NodeHeight));
        if (!placer.TryTake(rect, from, source.Id))
        {
            return null;
        }

        var (fromSide, toSide) = ExplanationPlacer.Sides(from, rect);
        return new PlacedNode(rect, fromSide, toSide);
    }

    private static void AddEdge(
        CanvasDocument document, ExplainedNodes explained, ExplanationPlacement placement, string from, string to, string fromSide, string toSide)
    {
        var edge = new CanvasEdge(placement.EdgeId, from, to, FromSide: fromSide, ToSide: toSide, Label: placement.AgentType);
        document.AddEdge(edge);
        explained.Linked(edge);
    }

    private static void Validate(ExplanationPlacement placement)
    {
        ArgumentNullException.ThrowIfNull(placement);
        ArgumentException.ThrowIfNullOrWhiteSpace(placement.SourceNodeId);
        ArgumentException.ThrowIfNullOrWhiteSpace(placement.FileNodeId);
        ArgumentException.ThrowIfNullOrWhiteSpace(placement.EdgeId);
        ArgumentException.ThrowIfNullOrWhiteSpace(placement.FileVaultPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(placement.AgentType);
    }

    /// <summary>
    /// A canvas for the next batch to go on from: its bytes, their document, and the indexes of it.
    /// Either as this writer left it (the indexes took every addition, so they are the same as rebuilt
    /// from it), or as read (<see cref="Start"/>): then no placer yet, and <paramref name="Read"/> the
    /// document parsed, which a session plan may have planned on.
    /// </summary>
    private sealed record Kept(byte[] Bytes, CanvasDocument Document, ExplainedNodes Explained, ExplanationPlacer? Placer, CanvasDocument? Read = null);
}
