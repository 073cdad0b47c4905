using System.Runtime.CompilerServices;

namespace CanvasLearning.Canvas.Placement;

/// <summary>Where a new node goes and which sides its edge from the source uses.</summary>
internal readonly record struct PlacedNode(Rect Rect, string FromSide, string ToSide);

/// <summary>
/// Puts each explanation where a person would: in free space next to its source (right of it,
/// else below, else left, else above), the nearest such spot found by searching outward in small
/// steps; never over another node or another new one, never across a group's border (inside the
/// source's group when it has room, else outside it). Deterministic: the same canvas and order of
/// calls give the same places. Built once per canvas write from a spatial index of the nodes.
/// </summary>
internal sealed class ExplanationPlacer
{
    /// <summary>Clear space between the source and its explanation, and around every new node.</summary>
    public const double Gap = 40;

    private const double Margin = 20;
    private const double Step = 40;

    // Candidates within this distance of the source's border, in small steps (1,600 px is a few
    // cards away), then in larger ones up to FarReach before giving up for the far right.
    private const double Reach = 1600;
    private const double FarStep = 200;
    private const double FarReach = 6000;

    // Spots at about the same distance are taken in side order (right, below, left, above).
    private const double DistanceBucket = 80;

    // Candidate lists are the same for every canvas: shared by the process, for the few sizes sources have.
    private const int CachedSizes = 64;
    private static readonly Dictionary<(double, double, double, double), Candidate[]> Candidates = [];
    private static readonly Lock CandidatesGate = new();

    private readonly SpatialGrid _obstacles;
    private readonly SpatialGrid _groups;
    // The groups a look-up found, reused by every look-up.
    private readonly List<int> _found = [];
    // Sizes past the shared cache's bound are kept by this placer alone (one canvas write, or a run of them).
    private readonly Dictionary<(double, double, double, double), Candidate[]> _ownCandidates = [];
    // Spots taken ahead for a source (a plan's): free for that source's explanation alone.
    private readonly Dictionary<string, Rect> _held = new(StringComparer.Ordinal);
    private double _right = double.NegativeInfinity;
    private int _lastBlocker = -1;
    private double _top = double.PositiveInfinity;

    public ExplanationPlacer(IEnumerable<CanvasNode> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var (obstacles, groups) = (new List<Rect>(nodes.TryGetNonEnumeratedCount(out var count) ? count + 64 : 0), new List<Rect>());
        foreach (var node in nodes)
        {
            var rect = Rect.Of(node);
            (node.Type == CanvasNodeTypes.Group ? groups : obstacles).Add(rect);
            _right = Math.Max(_right, rect.Right);
            _top = Math.Min(_top, rect.Y);
        }

        (_obstacles, _groups) = (new SpatialGrid(obstacles), new SpatialGrid(groups));
    }

    /// <summary>Finds the spot for a <paramref name="width"/> × <paramref name="height"/> node next to <paramref name="source"/> and reserves it.</summary>
    public PlacedNode Place(CanvasNode source, double width, double height)
    {
        var from = Rect.Of(source);
        var home = InnermostGroupAround(from);
        var candidates = CandidatesFor(from.Width, from.Height, width, height);
        var rect = First(candidates, from, home, insideHomeOnly: home is not null) ?? First(candidates, from, home, insideHomeOnly: false)
            ?? FarRight(from, width, height);
        Take(rect);
        var (fromSide, toSide) = Sides(from, rect);
        return new PlacedNode(rect, fromSide, toSide);
    }

    /// <summary>Holds <paramref name="rect"/>, already taken (by <see cref="Place"/>), for the explanation of the node <paramref name="sourceId"/>: see <see cref="TryTake"/>.</summary>
    public void HoldFor(string sourceId, Rect rect) => _held[sourceId] = rect;

    /// <summary>
    /// Takes <paramref name="rect"/> (a planned spot) for an explanation of <paramref name="source"/>
    /// (the node <paramref name="sourceId"/>) when it is still free, or held for that node (once); false when not.
    /// </summary>
    public bool TryTake(Rect rect, Rect source, string sourceId)
    {
        if (_held.TryGetValue(sourceId, out var held) && held == rect)
        {
            _held.Remove(sourceId);
            return true;
        }

        if (!IsFree(rect, source))
        {
            return false;
        }

        Take(rect);
        return true;
    }

    /// <summary>Nothing free within reach: to the right of everything, level with the source.</summary>
    public Rect FarRight(Rect from, double width, double height) =>
        new(Math.Round(double.IsFinite(_right) ? _right + Gap : from.Right + Gap), Math.Round(from.Y), width, height);

    /// <summary>For a node with no source on the canvas: right of everything, level with the top.</summary>
    public Rect Reserve(double width, double height)
    {
        var rect = new Rect(double.IsFinite(_right) ? Math.Round(_right + Gap) : 0, double.IsFinite(_top) ? Math.Round(_top) : 0, width, height);
        Take(rect);
        return rect;
    }

    /// <summary>The sides an edge between the two uses: the ones facing each other across the larger gap.</summary>
    public static (string FromSide, string ToSide) Sides(Rect from, Rect to)
    {
        var gapRight = to.X - from.Right;
        var gapLeft = from.X - to.Right;
        var gapBelow = to.Y - from.Bottom;
        var gapAbove = from.Y - to.Bottom;
        var horizontal = Math.Max(gapRight, gapLeft);
        var vertical = Math.Max(gapBelow, gapAbove);
        return horizontal >= vertical
            ? gapRight >= gapLeft ? ("right", "left") : ("left", "right")
            : gapBelow >= gapAbove ? ("bottom", "top") : ("top", "bottom");
    }

    /// <summary>Marks <paramref name="rect"/> as taken by a new node.</summary>
    private void Take(Rect rect)
    {
        _obstacles.Add(rect);
        (_right, _top) = (Math.Max(_right, rect.Right), Math.Min(_top, rect.Y));
    }

    // Optimized from the first call: a session's plan runs this loop some hundred thousand times in
    // one go, at its start, when the runtime would still run it unoptimized (a 10,000-node plan took
    // 1.9 s in a fresh process instead of 1.2 s).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Rect? First(Candidate[] candidates, Rect from, Rect? home, bool insideHomeOnly)
    {
        foreach (var candidate in candidates)
        {
            var rect = new Rect(Math.Round(from.X + candidate.Dx), Math.Round(from.Y + candidate.Dy), candidate.Width, candidate.Height);
            if (insideHomeOnly && !home!.Value.Contains(rect.Inflate(Margin)))
            {
                continue;
            }

            if (IsFree(rect, from))
            {
                return rect;
            }
        }

        return null;
    }

    // As First, which calls it for every spot it tries.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool IsFree(Rect rect, Rect source)
    {
        // Spots tried one after the other lie close together, so the node that blocked the last
        // one most often blocks this one too: one test instead of a look-up in the grid.
        var area = rect.Inflate(Margin);
        if (_lastBlocker >= 0 && _obstacles[_lastBlocker].Intersects(area))
        {
            return false;
        }

        _lastBlocker = _obstacles.FirstIntersecting(area);
        if (_lastBlocker >= 0)
        {
            return false;
        }

        // A group it touches must hold both the source and the whole new node, with room to spare:
        // a node across a border, or inside a group the source is not in, would mislead.
        _groups.Intersecting(area, _found);
        foreach (var group in _found)
        {
            if (!_groups[group].Contains(source) || !_groups[group].Contains(area))
            {
                return false;
            }
        }

        return true;
    }

    private Rect? InnermostGroupAround(Rect source)
    {
        Rect? innermost = null;
        _groups.Intersecting(source, _found);
        foreach (var index in _found)
        {
            var group = _groups[index];
            if (group.Contains(source) && (innermost is not { } current || group.Width * group.Height < current.Width * current.Height))
            {
                innermost = group;
            }
        }

        return innermost;
    }

    /// <summary>
    /// Offsets from the source's corner, nearest first; the same for every source of one size, so
    /// computed (and sorted: some 20,000 spots) once per size for the process, not once per write.
    /// </summary>
    private Candidate[] CandidatesFor(double sourceWidth, double sourceHeight, double width, double height)
    {
        var key = (sourceWidth, sourceHeight, width, height);
        lock (CandidatesGate)
        {
            if (Candidates.TryGetValue(key, out var cached))
            {
                return cached;
            }
        }

        if (_ownCandidates.TryGetValue(key, out var own))
        {
            return own;
        }

        var near = Ring(sourceWidth, sourceHeight, width, height, Step, 0, Reach);
        var far = Ring(sourceWidth, sourceHeight, width, height, FarStep, Reach, FarReach);
        var sorted = near.Concat(far).ToArray();
        lock (CandidatesGate)
        {
            if (Candidates.Count < CachedSizes)
            {
                Candidates.TryAdd(key, sorted);
                return sorted;
            }
        }

        _ownCandidates[key] = sorted;
        return sorted;
    }

    /// <summary>Spots whose distance from the source lies in (<paramref name="from"/>, <paramref name="to"/>], on a grid of <paramref name="step"/>.</summary>
    private static IEnumerable<Candidate> Ring(double sourceWidth, double sourceHeight, double width, double height, double step, double from, double to)
    {
        var source = new Rect(0, 0, sourceWidth, sourceHeight);
        var list = new List<Candidate>();
        for (var side = 0; side < 4; side++)
        {
            for (var d = Gap; d <= to; d += step)
            {
                for (var slide = -to; slide <= to; slide += step)
                {
                    var (dx, dy) = side switch
                    {
                        0 => (sourceWidth + d, slide),
                        1 => (slide, sourceHeight + d),
                        2 => (-width - d, slide),
                        _ => (slide, -height - d),
                    };
                    var distance = source.DistanceTo(new Rect(dx, dy, width, height));
                    if (distance <= to && (from == 0 || distance > from))
                    {
                        list.Add(new Candidate(dx, dy, width, height, side, distance, Math.Abs(slide)));
                    }
                }
            }
        }

        return list
            .OrderBy(c => Math.Floor(c.Distance / DistanceBucket))
            .ThenBy(c => c.Side)
            .ThenBy(c => c.Distance)
            .ThenBy(c => c.Slide)
            .ThenBy(c => c.Dx)
            .ThenBy(c => c.Dy);
    }

    private readonly record struct Candidate(double Dx, double Dy, double Width, double Height, int Side, double Distance, double Slide);
}
