namespace CanvasLearning.Canvas.Placement;

/// <summary>
/// Where an explanation is planned to go on the canvas (its top-left corner), and where its source
/// was when it was planned: the spot holds only while the source has not moved or been resized.
/// </summary>
public readonly record struct PlannedSpot(double X, double Y, double SourceX, double SourceY, double SourceWidth, double SourceHeight);

/// <summary>
/// The spots of a whole session's explanations, chosen before any is written: one after the other
/// in the order their concepts have in the canvas file, as if written one by one. While the spots
/// stay free, the places do not depend on the order the agents finish in (which varies from run to
/// run), and on a dense canvas no early finisher takes the spot a neighbour needed, pushing the rest
/// far away. The writer still checks each spot against the canvas as it is when it writes (the
/// learner may have put something there, or moved the source) and searches afresh when it no longer holds.
/// </summary>
public sealed class ExplanationPlan
{
    // The index the plan was made with, every planned spot held in it for its source: the writer's
    // first write from this very document takes it instead of indexing the canvas again.
    private ExplanationPlacer? _placer;

    private ExplanationPlan(CanvasDocument canvas, IReadOnlyDictionary<string, PlannedSpot> spots, ExplanationPlacer? placer)
    {
        Canvas = canvas;
        Spots = spots;
        _placer = placer;
    }

    /// <summary>The canvas the spots were planned on.</summary>
    public CanvasDocument Canvas { get; }

    /// <summary>A spot per source node found on the canvas; a source not on it gets none.</summary>
    public IReadOnlyDictionary<string, PlannedSpot> Spots { get; }

    /// <summary>Plans the spots of the explanations of <paramref name="sourceNodeIds"/> on <paramref name="canvas"/>.</summary>
    public static ExplanationPlan Make(CanvasDocument canvas, IEnumerable<string> sourceNodeIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(canvas);
        ArgumentNullException.ThrowIfNull(sourceNodeIds);
        var wanted = sourceNodeIds.ToHashSet(StringComparer.Ordinal);
        var spots = new Dictionary<string, PlannedSpot>(wanted.Count, StringComparer.Ordinal);
        if (wanted.Count == 0)
        {
            return new ExplanationPlan(canvas, spots, null);
        }

        var placer = new ExplanationPlacer(canvas.Nodes);
        foreach (var node in canvas.Nodes)
        {
            if (wanted.Contains(node.Id) && !spots.ContainsKey(node.Id))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var spot = placer.Place(node, CanvasWriteBack.NodeWidth, CanvasWriteBack.NodeHeight).Rect;
                placer.HoldFor(node.Id, spot);
                spots[node.Id] = new PlannedSpot(spot.X, spot.Y, node.X, node.Y, node.Width, node.Height);
            }
        }

        return new ExplanationPlan(canvas, spots, placer);
    }

    /// <summary>
    /// The plan's placer, for a write that starts from exactly the document planned on
    /// (<paramref name="start"/> is <see cref="Canvas"/>): it holds that canvas and the planned
    /// spots. Asked once: null for any other document (the canvas has moved on since, so no later
    /// write starts from the planned one; the index is let go), and null once asked.
    /// </summary>
    internal ExplanationPlacer? TakePlacer(CanvasDocument start)
    {
        var placer = Interlocked.Exchange(ref _placer, null);
        return ReferenceEquals(start, Canvas) ? placer : null;
    }
}
