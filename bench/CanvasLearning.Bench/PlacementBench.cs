// Placement by itself, on the engine bench's canvas (a dense grid of `nodes` cards, an explanation for each), warm
// (best of three), three ways: one by one in the file's order; one by one in the order a 12-wide session finishes
// (runs of 12 shuffled, fixed seed); and the session's plan (ExplanationPlan) taken in that finishing order:
//   dotnet run -c Release --project bench/CanvasLearning.Bench -- placement [nodes=10000]
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using CanvasLearning.Canvas;
using CanvasLearning.Canvas.Placement;

namespace CanvasLearning.Bench;

internal static class PlacementBench
{
    public static void Run(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
        var doc = CanvasDocument.Parse(System.Text.Encoding.UTF8.GetBytes(BenchCanvas.Generate(count)));
        var finishing = doc.Nodes.ToList();
        var random = new Random(1);
        for (var i = 0; i + 12 <= finishing.Count; i += 12)
        {
            random.Shuffle(CollectionsMarshal.AsSpan(finishing).Slice(i, 12));
        }

        Report("one by one, in file order", count, () => OneByOne(doc, doc.Nodes));
        Report("one by one, as a session of 12 finishes", count, () => OneByOne(doc, finishing));
        Report("planned, taken as a session of 12 finishes", count, () =>
        {
            // As the writer's first write does: it starts from the plan's own index of the canvas.
            var plan = ExplanationPlan.Make(doc, doc.Nodes.Select(n => n.Id));
            var placer = plan.TakePlacer(doc)!;
            return finishing.Select(source =>
            {
                var spot = plan.Spots[source.Id];
                var rect = new Rect(spot.X, spot.Y, CanvasWriteBack.NodeWidth, CanvasWriteBack.NodeHeight);
                return (source, placer.TryTake(rect, Rect.Of(source), source.Id) ? rect : placer.Place(source, CanvasWriteBack.NodeWidth, CanvasWriteBack.NodeHeight).Rect);
            }).ToList();
        });
    }

    private static List<(CanvasNode Source, Rect Spot)> OneByOne(CanvasDocument doc, IEnumerable<CanvasNode> order)
    {
        var placer = new ExplanationPlacer(doc.Nodes);
        return order.Select(source => (source, placer.Place(source, CanvasWriteBack.NodeWidth, CanvasWriteBack.NodeHeight).Rect)).ToList();
    }

    private static void Report(string name, int count, Func<List<(CanvasNode Source, Rect Spot)>> place)
    {
        var best = TimeSpan.MaxValue;
        List<(CanvasNode Source, Rect Spot)> spots = [];
        for (var round = 0; round < 3; round++)
        {
            var clock = Stopwatch.StartNew();
            spots = place();
            best = clock.Elapsed < best ? clock.Elapsed : best;
        }

        var distances = spots.Select(s => Rect.Of(s.Source).DistanceTo(s.Spot)).Order().ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"placement, {name}: {count} explanations in {best.TotalMilliseconds:0} ms ({best.TotalMicroseconds / count:0} µs each); " +
            $"distance from the concept median {distances[count / 2]:0} px, 90th percentile {distances[count * 9 / 10]:0} px, worst {distances[^1]:0} px"));
    }
}
