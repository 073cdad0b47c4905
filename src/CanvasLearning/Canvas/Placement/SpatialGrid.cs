using System.Runtime.CompilerServices;

namespace CanvasLearning.Canvas.Placement;

/// <summary>An axis-aligned rectangle in canvas coordinates (y grows downwards).</summary>
internal readonly record struct Rect(double X, double Y, double Width, double Height)
{
    public double Right => X + Width;

    public double Bottom => Y + Height;

    public static Rect Of(CanvasNode node) => new(node.X, node.Y, Math.Max(0, node.Width), Math.Max(0, node.Height));

    /// <summary>True when the interiors overlap; rectangles that only touch do not.</summary>
    public bool Intersects(Rect other) => X < other.Right && other.X < Right && Y < other.Bottom && other.Y < Bottom;

    public bool Contains(Rect inner) => X <= inner.X && Y <= inner.Y && inner.Right <= Right && inner.Bottom <= Bottom;

    public Rect Inflate(double by) => new(X - by, Y - by, Width + (2 * by), Height + (2 * by));

    /// <summary>The shortest distance between the two borders; 0 when they touch or overlap.</summary>
    public double DistanceTo(Rect other)
    {
        var dx = Math.Max(0, Math.Max(other.X - Right, X - other.Right));
        var dy = Math.Max(0, Math.Max(other.Y - Bottom, Y - other.Bottom));
        return Math.Sqrt((dx * dx) + (dy * dy));
    }
}

/// <summary>
/// Rectangles bucketed by fixed-size cells, so "what is near here" costs the rectangles of a few
/// cells instead of every node of the canvas. A rectangle spanning more cells than
/// <see cref="MaxCellsPerRect"/> (a canvas-wide group) is kept in a short list checked every time.
/// </summary>
internal sealed class SpatialGrid(double cellSize = 512)
{
    private const int MaxCellsPerRect = 4096;

    private readonly Dictionary<(long, long), List<int>> _cells = [];
    private readonly List<int> _oversized = [];
    private readonly List<Rect> _rects = [];
    private int[] _seen = new int[64];
    private int _stamp;

    public int Count => _rects.Count;

    public Rect this[int index] => _rects[index];

    /// <returns>The index of the rectangle.</returns>
    public int Add(Rect rect)
    {
        var index = _rects.Count;
        _rects.Add(rect);
        var (x0, y0, x1, y1) = CellRange(rect);
        if ((x1 - x0 + 1) * (y1 - y0 + 1) > MaxCellsPerRect)
        {
            _oversized.Add(index);
            return index;
        }

        for (var cx = x0; cx <= x1; cx++)
        {
            for (var cy = y0; cy <= y1; cy++)
            {
                if (!_cells.TryGetValue((cx, cy), out var list))
                {
                    _cells[(cx, cy)] = list = [];
                }

                list.Add(index);
            }
        }

        return index;
    }

    /// <summary>Calls <paramref name="visit"/> once for each rectangle whose interior overlaps <paramref name="area"/>; stops when it returns false.</summary>
    public void Query(Rect area, Func<int, Rect, bool> visit)
    {
        ArgumentNullException.ThrowIfNull(visit);
        _visit = visit;
        try
        {
            Scan(area, stopAtFirst: false);
        }
        finally
        {
            _visit = null;
        }
    }

    /// <summary>The index of a rectangle whose interior overlaps <paramref name="area"/>, or -1; allocates nothing.</summary>
    public int FirstIntersecting(Rect area) => Scan(area, stopAtFirst: true);

    // The visitor of the Query under way; FirstIntersecting needs none.
    private Func<int, Rect, bool>? _visit;

    /// <returns>The index of the first overlapping rectangle when <paramref name="stopAtFirst"/>, else of the one the visitor stopped at; -1 otherwise.</returns>
    // Optimized from the first call, as ExplanationPlacer.First, whose loop calls it.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Scan(Rect area, bool stopAtFirst)
    {
        if (_seen.Length < _rects.Count)
        {
            Array.Resize(ref _seen, Math.Max(_rects.Count, _seen.Length * 2));
        }

        // A fresh stamp per query marks what this query has seen without clearing an array.
        if (++_stamp == int.MaxValue)
        {
            Array.Clear(_seen);
            _stamp = 1;
        }

        foreach (var index in _oversized)
        {
            if (_rects[index].Intersects(area) && (stopAtFirst || !_visit!(index, _rects[index])))
            {
                return index;
            }
        }

        var (x0, y0, x1, y1) = CellRange(area);
        for (var cx = x0; cx <= x1; cx++)
        {
            for (var cy = y0; cy <= y1; cy++)
            {
                if (!_cells.TryGetValue((cx, cy), out var list))
                {
                    continue;
                }

                foreach (var index in list)
                {
                    if (_seen[index] == _stamp)
                    {
                        continue;
                    }

                    _seen[index] = _stamp;
                    if (_rects[index].Intersects(area) && (stopAtFirst || !_visit!(index, _rects[index])))
                    {
                        return index;
                    }
                }
            }
        }

        return -1;
    }

    public bool AnyIntersecting(Rect area) => FirstIntersecting(area) >= 0;

    private (long X0, long Y0, long X1, long Y1) CellRange(Rect rect) =>
        (Cell(rect.X), Cell(rect.Y), Cell(rect.Right), Cell(rect.Bottom));

    private long Cell(double value) => (long)Math.Floor(Math.Clamp(value, -1e12, 1e12) / cellSize);
}
