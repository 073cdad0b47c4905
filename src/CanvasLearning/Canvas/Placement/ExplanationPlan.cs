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
/// <remarks>
/// Made at once (<see cref="Make"/>) or beside the session's agent calls (<see cref="Start(CanvasDocument, IEnumerable{string}, CancellationToken)"/>): then
/// each spot can be had (<see cref="SpotAsync"/>) as soon as it is planned, so a node whose
/// explanation is ready waits for its own spot, not for the whole plan (10,000 spots take a second).
/// </remarks>
public sealed class ExplanationPlan
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _wanted;
    private readonly Dictionary<string, PlannedSpot> _spots;

    // Nodes asking for a spot not planned yet; answered when it is, or with none when planning ends without it.
    private readonly Dictionary<string, TaskCompletionSource<PlannedSpot?>> _waiting = new(StringComparer.Ordinal);
    private bool _done;

    // The index the plan was made with, every planned spot held in it for its source: the writer's
    // first write from this very document takes it instead of indexing the canvas again. Kept only
    // once the plan is complete and if no write asked before: a write cannot share it with the planning.
    private ExplanationPlacer? _placer;
    private bool _placerAsked;
    private Action<string>? _afterSpot;

    private ExplanationPlan(CanvasDocument canvas, IEnumerable<string> sourceNodeIds)
    {
        Canvas = canvas;
        _wanted = sourceNodeIds.ToHashSet(StringComparer.Ordinal);
        _spots = new Dictionary<string, PlannedSpot>(_wanted.Count, StringComparer.Ordinal);
        Completion = Task.CompletedTask;
    }

    /// <summary>The canvas the spots were planned on.</summary>
    public CanvasDocument Canvas { get; }

    /// <summary>A spot per source node found on the canvas; a source not on it gets none. Complete once <see cref="Completion"/> has; read it only then.</summary>
    public IReadOnlyDictionary<string, PlannedSpot> Spots => _spots;

    /// <summary>The planning: completed when every spot is planned (at once for <see cref="Make"/>); faulted or cancelled when the planning was.</summary>
    public Task Completion { get; private set; }

    /// <summary>Plans the spots of the explanations of <paramref name="sourceNodeIds"/> on <paramref name="canvas"/>, now.</summary>
    public static ExplanationPlan Make(CanvasDocument canvas, IEnumerable<string> sourceNodeIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(canvas);
        ArgumentNullException.ThrowIfNull(sourceNodeIds);
        var plan = new ExplanationPlan(canvas, sourceNodeIds);
        plan.Run(cancellationToken);
        return plan;
    }

    /// <summary>Starts planning the spots on a pool thread; <see cref="SpotAsync"/> gives each one as soon as it is planned.</summary>
    public static ExplanationPlan Start(CanvasDocument canvas, IEnumerable<string> sourceNodeIds, CancellationToken cancellationToken = default) =>
        Start(canvas, sourceNodeIds, afterSpot: null, cancellationToken);

    /// <summary><see cref="Start(CanvasDocument, IEnumerable{string}, CancellationToken)"/>, calling <paramref name="afterSpot"/> (a test's) on the planning thread after each spot is given.</summary>
    internal static ExplanationPlan Start(CanvasDocument canvas, IEnumerable<string> sourceNodeIds, Action<string>? afterSpot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canvas);
        ArgumentNullException.ThrowIfNull(sourceNodeIds);
        var plan = new ExplanationPlan(canvas, sourceNodeIds) { _afterSpot = afterSpot };
        plan.Completion = Task.Run(() => plan.Run(cancellationToken), CancellationToken.None);
        return plan;
    }

    /// <summary>
    /// The spot of the explanation of <paramref name="sourceNodeId"/>, once planned; null when it gets
    /// none (not asked for, not on the canvas, or the planning failed or was cancelled before it).
    /// </summary>
    public Task<PlannedSpot?> SpotAsync(string sourceNodeId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sourceNodeId);
        lock (_gate)
        {
            if (_spots.TryGetValue(sourceNodeId, out var spot))
            {
                return Task.FromResult<PlannedSpot?>(spot);
            }

            if (_done || !_wanted.Contains(sourceNodeId))
            {
                return Task.FromResult<PlannedSpot?>(null);
            }

            if (!_waiting.TryGetValue(sourceNodeId, out var waiter))
            {
                // Answered off the planning thread, which goes on with the next spot.
                _waiting[sourceNodeId] = waiter = new TaskCompletionSource<PlannedSpot?>(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            return waiter.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// The plan's placer, for a write that starts from exactly the document planned on
    /// (<paramref name="start"/> is <see cref="Canvas"/>) once the plan is complete: it holds that
    /// canvas and the planned spots. Asked once: null for any other document (the canvas has moved
    /// on since, so no later write starts from the planned one; the index is let go), null while
    /// the planning is still under way (it is let go too), and null once asked.
    /// </summary>
    internal ExplanationPlacer? TakePlacer(CanvasDocument start)
    {
        lock (_gate)
        {
            var placer = _placer;
            (_placer, _placerAsked) = (null, true);
            return ReferenceEquals(start, Canvas) ? placer : null;
        }
    }

    private void Run(CancellationToken cancellationToken)
    {
        try
        {
            if (_wanted.Count == 0)
            {
                return;
            }

            var placer = ReadyPlacers.Take(Canvas);
            foreach (var node in Canvas.Nodes)
            {
                if (!_wanted.Contains(node.Id))
                {
                    continue;
                }

                // Only this thread adds spots: a duplicate id on the canvas is planned once.
                if (_spots.ContainsKey(node.Id))
                {
                    continue;
                }

                cancellationToken.ThrowIfCancellationRequested();
                var spot = placer.Place(node, CanvasWriteBack.NodeWidth, CanvasWriteBack.NodeHeight).Rect;
                placer.HoldFor(node.Id, spot);
                var planned = new PlannedSpot(spot.X, spot.Y, node.X, node.Y, node.Width, node.Height);
                TaskCompletionSource<PlannedSpot?>? waiter;
                lock (_gate)
                {
                    _spots[node.Id] = planned;
                    _waiting.Remove(node.Id, out waiter);
                }

                waiter?.TrySetResult(planned);
                _afterSpot?.Invoke(node.Id);
            }

            lock (_gate)
            {
                if (!_placerAsked)
                {
                    _placer = placer;
                }
            }
        }
        finally
        {
            // Those still waiting get no spot: their explanations are placed by the writer.
            List<TaskCompletionSource<PlannedSpot?>> rest;
            lock (_gate)
            {
                _done = true;
                rest = [.. _waiting.Values];
                _waiting.Clear();
            }

            foreach (var waiter in rest)
            {
                waiter.TrySetResult(null);
            }
        }
    }
}
