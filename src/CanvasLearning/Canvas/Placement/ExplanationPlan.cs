namespace CanvasLearning.Canvas.Placement;

/// <summary>Where an explanation is planned to go on the canvas: its top-left corner.</summary>
public readonly record struct CanvasPoint(double X, double Y);

/// <summary>
/// The spots of a whole session's explanations, chosen before any is written: one after the other
/// in the order their concepts have in the canvas file, as if written one by one. The places then
/// do not depend on the order the agents finish in (which varies from run to run), and on a dense
/// canvas no early finisher takes the spot a neighbour needed, pushing the rest far away. The
/// writer still checks each spot against the canvas as it is when it writes (the learner may have
/// put something there) and searches afresh when it is taken.
/// </summary>
public static class ExplanationPlan
{
    /// <returns>A spot per source node found on the canvas; a source not on it gets none.</returns>
    public static IReadOnlyDictionary<string, CanvasPoint> For(CanvasDocument canvas, IEnumerable<string> sourceNodeIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(canvas);
        ArgumentNullException.ThrowIfNull(sourceNodeIds);
        var wanted = sourceNodeIds.ToHashSet(StringComparer.Ordinal);
        var spots = new Dictionary<string, CanvasPoint>(wanted.Count, StringComparer.Ordinal);
        if (wanted.Count == 0)
        {
            return spots;
        }

        var placer = new ExplanationPlacer(canvas.Nodes);
        foreach (var node in canvas.Nodes)
        {
            if (wanted.Contains(node.Id) && !spots.ContainsKey(node.Id))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var spot = placer.Place(node, CanvasWriteBack.NodeWidth, CanvasWriteBack.NodeHeight).Rect;
                spots[node.Id] = new CanvasPoint(spot.X, spot.Y);
            }
        }

        return spots;
    }
}
