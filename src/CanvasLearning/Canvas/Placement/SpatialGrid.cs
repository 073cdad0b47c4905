using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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
/// cells instead of every node of the canvas. The rectangles given at construction (a canvas's
/// nodes) are indexed in one go, every cell's list a slice of one array; those added later (the new
/// nodes of a write) go into lists of their own. A rectangle spanning more cells than
/// <see cref="MaxCellsPerRect"/> (a canvas-wide group) is kept in a short list checked every time.
/// </summary>
internal sealed class SpatialGrid
{
    private const int MaxCellsPerRect = 4096;

    // Cell coordinates are clamped to an int, so a cell's key is both in one long.
    private const double MaxCell = 2e9;

    private readonly double _cellSize;
    private readonly List<Rect> _rects;
    private readonly List<int> _oversized = [];

    // The rectangles of the construction, every cell's list a slice of _indexed. Where those cells
    // fill their bounding box well enough (a canvas), the slice of a cell is found by its place in
    // that box (_starts, a slice per cell and one past the last); else (a few nodes far apart) by
    // a dictionary of the occupied cells.
    private readonly int[] _indexed = [];
    private readonly int[]? _starts;
    private readonly Dictionary<long, (int Start, int Count)>? _slices;
    private readonly int _minX, _minY, _columns, _rows;

    // The rectangles added since, per cell.
    private readonly Dictionary<long, List<int>> _added = [];
    private int[] _seen = [];
    private int _stamp;

    public SpatialGrid(double cellSize = 512)
        : this([], cellSize)
    {
    }

    /// <summary>A grid of <paramref name="rects"/> (indexed in order, from 0; the list belongs to the grid from now on).</summary>
    public SpatialGrid(List<Rect> rects, double cellSize = 512)
    {
        ArgumentNullException.ThrowIfNull(rects);
        _cellSize = cellSize;
        _rects = rects;

        // First the bounding box of the cells and how many (rectangle, cell) pairs there are.
        var (minX, minY, maxX, maxY) = (int.MaxValue, int.MaxValue, int.MinValue, int.MinValue);
        long pairs = 0;
        for (var index = 0; index < rects.Count; index++)
        {
            var (x0, y0, x1, y1) = CellRange(rects[index]);
            var cells = Cells(x0, y0, x1, y1);
            if (cells > MaxCellsPerRect)
            {
                _oversized.Add(index);
                continue;
            }

            pairs += cells;
            (minX, minY, maxX, maxY) = (Math.Min(minX, x0), Math.Min(minY, y0), Math.Max(maxX, x1), Math.Max(maxY, y1));
        }

        if (pairs == 0)
        {
            _slices = [];
            return;
        }

        _indexed = new int[pairs];
        var box = Cells(minX, minY, maxX, maxY);
        if (box <= Math.Max(4096, 4 * pairs))
        {
            (_minX, _minY, _columns, _rows) = (minX, minY, maxX - minX + 1, maxY - minY + 1);
            var starts = new int[box + 1];
            ForEachPair((_, cx, cy) => starts[Place(cx, cy) + 1]++);
            for (var i = 1; i < starts.Length; i++)
            {
                starts[i] += starts[i - 1];
            }

            // Each cell's next free place, moved along as the cell fills.
            var next = starts[..^1];
            ForEachPair((index, cx, cy) => _indexed[next[Place(cx, cy)]++] = index);
            _starts = starts;
            return;
        }

        var slices = new Dictionary<long, (int Start, int Count)>();
        ForEachPair((_, cx, cy) => CollectionsMarshal.GetValueRefOrAddDefault(slices, Key(cx, cy), out var _).Count++);
        var begin = 0;
        foreach (var key in slices.Keys)
        {
            ref var slice = ref CollectionsMarshal.GetValueRefOrNullRef(slices, key);
            (slice.Start, begin, slice.Count) = (begin, begin + slice.Count, 0);
        }

        ForEachPair((index, cx, cy) =>
        {
            ref var slice = ref CollectionsMarshal.GetValueRefOrNullRef(slices, Key(cx, cy));
            _indexed[slice.Start + slice.Count++] = index;
        });
        _slices = slices;
    }

    public int Count => _rects.Count;

    public Rect this[int index] => _rects[index];

    /// <returns>The index of the rectangle.</returns>
    public int Add(Rect rect)
    {
        var index = _rects.Count;
        _rects.Add(rect);
        var (x0, y0, x1, y1) = CellRange(rect);
        if (Cells(x0, y0, x1, y1) > MaxCellsPerRect)
        {
            _oversized.Add(index);
            return index;
        }

        for (var cx = x0; cx <= x1; cx++)
        {
            for (var cy = y0; cy <= y1; cy++)
            {
                ref var list = ref CollectionsMarshal.GetValueRefOrAddDefault(_added, Key(cx, cy), out _);
                (list ??= []).Add(index);
            }
        }

        return index;
    }

    /// <summary>Puts in <paramref name="found"/> (emptied first) every rectangle whose interior overlaps <paramref name="area"/>, each once; allocates nothing once <paramref name="found"/> has grown.</summary>
    public void Intersecting(Rect area, List<int> found)
    {
        ArgumentNullException.ThrowIfNull(found);
        found.Clear();
        Scan(area, found);
    }

    /// <summary>The index of a rectangle whose interior overlaps <paramref name="area"/>, or -1; allocates nothing.</summary>
    public int FirstIntersecting(Rect area) => Scan(area, found: null);

    /// <returns>With no <paramref name="found"/>, the index of the first overlapping rectangle, or -1; else -1, each overlapping one added to it.</returns>
    // Optimized from the first call, as ExplanationPlacer.First, whose loop calls it.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Scan(Rect area, List<int>? found)
    {
        if (_seen.Length < _rects.Count)
        {
            Array.Resize(ref _seen, Math.Max(_rects.Count + 64, _seen.Length * 2));
        }

        // A fresh stamp per query marks what this query has seen without clearing an array.
        if (++_stamp == int.MaxValue)
        {
            Array.Clear(_seen);
            _stamp = 1;
        }

        foreach (var index in _oversized)
        {
            if (Hit(index, area, found))
            {
                return index;
            }
        }

        var (x0, y0, x1, y1) = CellRange(area);
        for (var cx = x0; cx <= x1; cx++)
        {
            for (var cy = y0; cy <= y1; cy++)
            {
                foreach (var index in Indexed(cx, cy))
                {
                    if (Hit(index, area, found))
                    {
                        return index;
                    }
                }

                if (_added.Count > 0 && _added.TryGetValue(Key(cx, cy), out var list))
                {
                    foreach (var index in list)
                    {
                        if (Hit(index, area, found))
                        {
                            return index;
                        }
                    }
                }
            }
        }

        return -1;
    }

    /// <summary>True when the scan stops at <paramref name="index"/>: it overlaps and nothing collects what overlaps.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Hit(int index, Rect area, List<int>? found)
    {
        if (_seen[index] == _stamp || !_rects[index].Intersects(area))
        {
            return false;
        }

        _seen[index] = _stamp;
        if (found is null)
        {
            return true;
        }

        found.Add(index);
        return false;
    }

    /// <summary>Calls <paramref name="visit"/> with each rectangle of the construction (not oversized) and each cell it lies in.</summary>
    private void ForEachPair(Action<int, int, int> visit)
    {
        var oversized = 0;
        for (var index = 0; index < _rects.Count; index++)
        {
            if (oversized < _oversized.Count && _oversized[oversized] == index)
            {
                oversized++;
                continue;
            }

            var (x0, y0, x1, y1) = CellRange(_rects[index]);
            for (var cx = x0; cx <= x1; cx++)
            {
                for (var cy = y0; cy <= y1; cy++)
                {
                    visit(index, cx, cy);
                }
            }
        }
    }

    /// <summary>The place of a cell in the bounding box of the construction's cells (which holds it).</summary>
    private int Place(int cx, int cy) => ((cx - _minX) * _rows) + (cy - _minY);

    /// <summary>The construction's rectangles in a cell.</summary>
    private ReadOnlySpan<int> Indexed(int cx, int cy)
    {
        if (_starts is { } starts)
        {
            if (cx < _minX || cy < _minY || cx - _minX >= _columns || cy - _minY >= _rows)
            {
                return [];
            }

            var place = Place(cx, cy);
            return _indexed.AsSpan(starts[place], starts[place + 1] - starts[place]);
        }

        return _slices!.TryGetValue(Key(cx, cy), out var slice) ? _indexed.AsSpan(slice.Start, slice.Count) : [];
    }

    private static long Key(int cx, int cy) => ((long)cx << 32) | (uint)cy;

    private (int X0, int Y0, int X1, int Y1) CellRange(Rect rect) =>
        (Cell(rect.X), Cell(rect.Y), Cell(rect.Right), Cell(rect.Bottom));

    private static long Cells(int x0, int y0, int x1, int y1) => ((long)x1 - x0 + 1) * ((long)y1 - y0 + 1);

    private int Cell(double value) => (int)Math.Floor(Math.Clamp(value / _cellSize, -MaxCell, MaxCell));
}
