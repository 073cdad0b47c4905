using System.Diagnostics;
using System.Globalization;
using System.Text;
using CanvasLearning.Canvas;
using CanvasLearning.Execution;

namespace CanvasLearning.Bench;

/// <summary>What the canvas scenario prints of a size: its runs, the file by itself, its writes, the second run and where the explanations landed.</summary>
internal static partial class CanvasBench
{
    /// <summary>Prints a size's figures, after a second run over its last copy (which must change nothing).</summary>
    private static async Task<SizeFigures> ReportAsync(HttpClient http, BatchEngine engine, string vault, Subject subject)
    {
        var results = subject.Results;
        var lastPath = Path.Combine(vault, $"{subject.Size}{Runs - 1}.canvas");
        var before = await File.ReadAllBytesAsync(subject.Path);
        var after = await File.ReadAllBytesAsync(lastPath);
        var folder = Path.Combine(vault, $"{subject.Size}{Runs - 1}-explanations");
        var files = Directory.GetFiles(folder).Length;
        var rerunClock = Stopwatch.StartNew();
        var second = await RunOnceAsync(http, engine, Path.GetFileName(lastPath));
        var rerun = rerunClock.Elapsed;
        var afterRerun = await File.ReadAllBytesAsync(lastPath);
        var unchanged = after.SequenceEqual(afterRerun) && files == Directory.GetFiles(folder).Length;
        var peak = Process.GetCurrentProcess().PeakWorkingSet64 / 1024 / 1024;

        var rewrites = results.Average(r => r.Rewrites);
        var runs = results.Select(r => r.Run.TotalSeconds).Order().ToList();
        var reads = results.Select(r => r.Io.Read.TotalMilliseconds).Order().ToList();
        var writes = results.Select(r => r.Io.Write.TotalMilliseconds).Order().ToList();
        var median = results.OrderBy(r => r.Run).ElementAt(Runs / 2);
        var figures = Placement(CanvasDocument.Parse(after), subject.Marked, $"{subject.Size}{Runs - 1}-explanations/");
        var lines = (Encoding.UTF8.GetString(before).Split('\n').Length, Encoding.UTF8.GetString(after).Split('\n').Length);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{subject.Size}: {before.Length / 1024.0:0} KB, {CanvasDocument.Parse(before).Nodes.Count} nodes, {subject.Marked.Count} marked; {Runs} runs on fresh copies after {WarmUps + 1} warm-up runs: " +
            $"median {runs[Runs / 2]:0.000} s (from {runs[0]:0.000} to {runs[^1]:0.000}), the median one {median.Status}; peak working set of the process {peak} MB"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  the file by itself: reading it (read, parse) median {reads[Runs / 2]:0} ms (from {reads[0]:0} to {reads[^1]:0}), " +
            $"writing it (add, serialize, temporary file, fsync, rename) median {writes[Runs / 2]:0} ms (from {writes[0]:0} to {writes[^1]:0})"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  garbage collection in each run: {string.Join(", ", results.Select(r => $"{r.Run.TotalSeconds:0.000} s with {r.FullCollections} full, {r.Paused.TotalMilliseconds:0} ms paused"))}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  lines {lines.Item1} -> {lines.Item2} (+{lines.Item2 - lines.Item1}) in {rewrites:0.#} canvas writes per run; second run: {second} in {rerun.TotalSeconds:0.00} s, canvas and folder unchanged: {unchanged}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  placement: median {figures.Median:0} px, worst {figures.Worst:0} px from the concept's border; {figures.Overlaps} overlaps, {figures.Straddles} across a group border, " +
            $"edges crossing other cards: {figures.Crossings} in total, at most {figures.MaxCrossings} for one edge"));
        (double Run, double Read, double Write) mean = (runs.Average(), reads.Average() / 1000, writes.Average() / 1000);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  means: run {mean.Run:0.000} s, reading the file by itself {mean.Read * 1000:0} ms, writing it {mean.Write * 1000:0} ms"));
        return new SizeFigures((runs[Runs / 2], reads[Runs / 2] / 1000, writes[Runs / 2] / 1000), mean, rewrites, peak);
    }

    private static (double Median, double Worst, int Overlaps, int Straddles, int Crossings, int MaxCrossings) Placement(
        CanvasDocument doc, IReadOnlyList<string> marked, string folder)
    {
        var cards = doc.Nodes.Where(n => n.Type != CanvasNodeTypes.Group).ToList();
        var groups = doc.Nodes.Where(n => n.Type == CanvasNodeTypes.Group).ToList();
        var distances = new List<double>();
        var (overlaps, straddles, crossings, maxCrossings) = (0, 0, 0, 0);
        foreach (var id in marked)
        {
            var source = doc.FindNode(id)!;
            var edge = doc.Edges.First(e => e.FromNode == id && doc.FindNode(e.ToNode)?.File?.StartsWith(folder, StringComparison.Ordinal) == true);
            var ours = doc.FindNode(edge.ToNode)!;
            distances.Add(Distance(source, ours));
            overlaps += cards.Count(n => n.Id != ours.Id && Overlap(n, ours));
            straddles += groups.Count(g => Overlap(g, ours) && !(g.X <= ours.X && g.Y <= ours.Y && ours.Right <= g.Right && ours.Bottom <= g.Bottom));
            var (a, b) = (Anchor(source, edge.FromSide), Anchor(ours, edge.ToSide));
            var crossed = cards.Count(n => n.Id != source.Id && n.Id != ours.Id && Crosses(a, b, n));
            crossings += crossed;
            maxCrossings = Math.Max(maxCrossings, crossed);
        }

        distances.Sort();
        return (distances[distances.Count / 2], distances[^1], overlaps, straddles, crossings, maxCrossings);
    }

    private static double Distance(CanvasNode a, CanvasNode b)
    {
        var dx = Math.Max(0, Math.Max(b.X - a.Right, a.X - b.Right));
        var dy = Math.Max(0, Math.Max(b.Y - a.Bottom, a.Y - b.Bottom));
        return Math.Sqrt((dx * dx) + (dy * dy));
    }

    private static bool Overlap(CanvasNode a, CanvasNode b) => a.X < b.Right && b.X < a.Right && a.Y < b.Bottom && b.Y < a.Bottom;

    private static (double X, double Y) Anchor(CanvasNode n, string? side) => side switch
    {
        "right" => (n.Right, n.Y + (n.Height / 2)),
        "left" => (n.X, n.Y + (n.Height / 2)),
        "top" => (n.X + (n.Width / 2), n.Y),
        _ => (n.X + (n.Width / 2), n.Bottom),
    };

    /// <summary>True when the straight edge from <paramref name="a"/> to <paramref name="b"/> passes through the card (sampled every 5 px).</summary>
    private static bool Crosses((double X, double Y) a, (double X, double Y) b, CanvasNode n)
    {
        var length = Math.Sqrt(Math.Pow(b.X - a.X, 2) + Math.Pow(b.Y - a.Y, 2));
        var steps = Math.Max(1, (int)(length / 5));
        for (var i = 1; i < steps; i++)
        {
            var (x, y) = (a.X + ((b.X - a.X) * i / steps), a.Y + ((b.Y - a.Y) * i / steps));
            if (n.X < x && x < n.Right && n.Y < y && y < n.Bottom)
            {
                return true;
            }
        }

        return false;
    }
}
