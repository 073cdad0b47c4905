using CanvasLearning.Canvas.Placement;

namespace CanvasLearning.Canvas;

/// <summary>What one batch of <see cref="CanvasWriteBack"/> does to the document: where each explanation goes, and its edge.</summary>
public sealed partial class CanvasWriteBack
{
    /// <summary>
    /// The document to edit (a fork of a frozen one) and its indexes. The placer is a session plan's
    /// when one of the batch planned on this very document (its index holds the canvas and the
    /// planned spots), else built from the nodes.
    /// </summary>
    private static (CanvasDocument, ExplainedNodes, ExplanationPlacer) Start(CanvasDocument read, List<Request> batch)
    {
        var document = read.IsFrozen ? read.Fork() : read;
        ExplanationPlacer? placer = null;
        foreach (var request in batch)
        {
            foreach (var placement in request.Placements)
            {
                placer ??= placement.Plan?.TakePlacer(read);
            }
        }

        return (document, new ExplainedNodes(document), placer ?? new ExplanationPlacer(document.Nodes));
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
    /// A canvas as this writer left it: the bytes written, their document, and the indexes of it
    /// (the same as rebuilt from it, since they took every addition), for the next batch to go on from.
    /// </summary>
    private sealed record Kept(byte[] Bytes, CanvasDocument Document, ExplainedNodes Explained, ExplanationPlacer Placer);
}
