using System.Diagnostics;
using System.Globalization;
using CanvasLearning.Canvas;

namespace CanvasLearning.Bench;

internal static partial class CanvasBench
{
    /// <summary>Where one write-back's time and memory go, warm: each step of <see cref="CanvasWriteBack"/> timed alone, best of five, and what it allocates.</summary>
    private static void Phases(string path, IReadOnlyList<string> marked)
    {
        var best = new Dictionary<string, double>();
        var first = new Dictionary<string, double>();
        var allocated = new Dictionary<string, long>();
        for (var round = 0; round < 5; round++)
        {
            var clock = Stopwatch.StartNew();
            var bytes0 = GC.GetAllocatedBytesForCurrentThread();
            void Lap(string name)
            {
                var ms = clock.Elapsed.TotalMilliseconds;
                allocated[name] = GC.GetAllocatedBytesForCurrentThread() - bytes0;
                best[name] = Math.Min(best.GetValueOrDefault(name, double.MaxValue), ms);
                first.TryAdd(name, ms);
                bytes0 = GC.GetAllocatedBytesForCurrentThread();
                clock.Restart();
            }

            var bytes = File.ReadAllBytes(path);
            Lap("read");
            var doc = CanvasDocument.Parse(bytes);
            Lap("parse");
            var explained = new ExplainedNodes(doc);
            Lap("explained index");
            var placer = new CanvasLearning.Canvas.Placement.ExplanationPlacer(doc.Nodes);
            Lap("placer index");
            doc = doc.Fork();
            Lap("fork");
            foreach (var id in marked)
            {
                var spot = placer.Place(doc.FindNode(id)!, CanvasWriteBack.NodeWidth, CanvasWriteBack.NodeHeight);
                doc.AddNode(new CanvasNode("f" + id, CanvasNodeTypes.File, spot.Rect.X, spot.Rect.Y, 400, 300, File: "x/" + id + ".md"));
            }

            Lap("place 38");
            var utf8 = doc.ToUtf8();
            Lap("edit+check");
            AtomicFile.WriteAllBytesAsync(path + ".copy", utf8).GetAwaiter().GetResult();
            Lap("atomic write");
            _ = doc.Successor();
            Lap("successor");
            File.Delete(path + ".copy");
        }

        Console.WriteLine("first (cold): " + string.Join(", ", first.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value:0.0} ms"))));
        Console.WriteLine("best of five: " + string.Join(", ", best.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value:0.0} ms"))));
        Console.WriteLine("allocated (last round): " + string.Join(", ", allocated.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value / 1024.0 / 1024:0.0} MB"))));
    }
}
