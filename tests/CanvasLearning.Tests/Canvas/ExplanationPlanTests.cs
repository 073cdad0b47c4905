using System.Globalization;
using System.Text;
using CanvasLearning.Canvas;
using CanvasLearning.Canvas.Placement;

namespace CanvasLearning.Tests.Canvas;

/// <summary>
/// A session's explanations are placed by a plan made before any is written, so where they land
/// does not depend on the order the agents finish in. On a dense grid of cards (no room for an
/// explanation beside every card at once) that order matters a great deal without the plan.
/// </summary>
public sealed class ExplanationPlanTests : IDisposable
{
    private const int Cards = 60;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Planned_explanations_land_in_the_same_places_whatever_order_they_are_written_in()
    {
        var (text, ids) = DenseGrid();
        var plan = ExplanationPlan.Make(CanvasDocument.Parse(Encoding.UTF8.GetBytes(text)), ids).Spots;

        var inOrder = await WriteOneByOneAsync("in-order.canvas", text, ids, plan);
        var reversed = await WriteOneByOneAsync("reversed.canvas", text, [.. ids.AsEnumerable().Reverse()], plan);
        var interleaved = await WriteOneByOneAsync("interleaved.canvas", text, [.. ids.Where((_, i) => i % 2 == 1), .. ids.Where((_, i) => i % 2 == 0)], plan);

        Assert.Equal(Spots(inOrder, ids), Spots(reversed, ids));
        Assert.Equal(Spots(inOrder, ids), Spots(interleaved, ids));
        Assert.All(ids, id => Assert.Equal((plan[id].X, plan[id].Y), Spots(reversed, ids)[id]));
        AssertNoOverlaps(reversed);
    }

    [Fact]
    public async Task Without_a_plan_the_order_of_writes_moves_explanations_which_the_plan_prevents()
    {
        // The reason for the plan: written one by one without it, the last card's explanation,
        // written first, takes room its neighbours needed.
        var (text, ids) = DenseGrid();
        var inOrder = await WriteOneByOneAsync("in-order.canvas", text, ids, plan: null);
        var reversed = await WriteOneByOneAsync("reversed.canvas", text, [.. ids.AsEnumerable().Reverse()], plan: null);

        Assert.NotEqual(Spots(inOrder, ids), Spots(reversed, ids));
    }

    [Fact]
    public async Task A_planned_spot_the_learner_has_filled_since_is_searched_afresh()
    {
        var (text, ids) = DenseGrid();
        var plan = ExplanationPlan.Make(CanvasDocument.Parse(Encoding.UTF8.GetBytes(text)), ids).Spots;
        var spot = plan[ids[0]];
        var path = _temp.Write("filled.canvas", text.Replace("\"nodes\":[",
            string.Create(CultureInfo.InvariantCulture, $"\"nodes\":[{{\"id\":\"mine\",\"type\":\"text\",\"text\":\"learner's note\",\"x\":{spot.X + 50},\"y\":{spot.Y + 50},\"width\":200,\"height\":100}},"),
            StringComparison.Ordinal));

        await new CanvasWriteBack().AddExplanationAsync(path, Placement(ids[0], plan));

        var doc = await CanvasDocument.LoadAsync(path);
        Assert.NotEqual((spot.X, spot.Y), Spots(doc, [ids[0]])[ids[0]]);
        AssertNoOverlaps(doc);
    }

    [Fact]
    public async Task An_explanation_follows_its_concept_when_the_learner_moved_it_after_the_plan()
    {
        var (text, ids) = DenseGrid();
        var plan = ExplanationPlan.Make(CanvasDocument.Parse(Encoding.UTF8.GetBytes(text)), ids).Spots;
        var moved = text.Replace("\"id\":\"c00\",\"type\":\"text\",\"text\":\"概念 0\",\"x\":0,\"y\":0", "\"id\":\"c00\",\"type\":\"text\",\"text\":\"概念 0\",\"x\":9000,\"y\":0", StringComparison.Ordinal);
        Assert.NotEqual(text, moved);
        var path = _temp.Write("moved.canvas", moved);

        await new CanvasWriteBack().AddExplanationAsync(path, Placement("c00", plan));

        var doc = await CanvasDocument.LoadAsync(path);
        var (source, explanation) = (doc.FindNode("c00")!, doc.FindNode("file-c00")!);
        Assert.Equal(source.Right + ExplanationPlacer.Gap, explanation.X);
        Assert.Equal(source.Y, explanation.Y);
    }

    [Fact]
    public async Task A_writer_starting_from_the_planned_canvas_takes_the_plan_s_index_and_its_spots()
    {
        // As in a session: analyze's parse (kept by the cache) is what the plan and the writer start from.
        var (text, ids) = DenseGrid();
        var path = _temp.Write("cached.canvas", text);
        var cache = new CanvasCache();
        var plan = ExplanationPlan.Make(await cache.LoadAsync(path), ids);
        var writer = new CanvasWriteBack(cache);

        foreach (var id in ids.AsEnumerable().Reverse())
        {
            await writer.AddExplanationAsync(path, new ExplanationPlacement(id, $"file-{id}", $"edge-{id}", $"map-explanations/{id}.md", "oral-explanation", plan.Spots[id], plan));
        }

        // The writer took the plan's index: no other write can have it after that.
        Assert.Null(plan.TakePlacer(plan.Canvas));
        var doc = await CanvasDocument.LoadAsync(path);
        Assert.All(ids, id => Assert.Equal((plan.Spots[id].X, plan.Spots[id].Y), Spots(doc, ids)[id]));
        AssertNoOverlaps(doc);
    }

    [Fact]
    public void The_plan_s_index_is_given_once_for_the_planned_canvas_and_each_spot_is_held_for_its_own_concept()
    {
        var (text, ids) = DenseGrid();
        var canvas = CanvasDocument.Parse(Encoding.UTF8.GetBytes(text));
        var plan = ExplanationPlan.Make(canvas, ids);

        var placer = plan.TakePlacer(canvas);
        Assert.NotNull(placer);
        Assert.Null(plan.TakePlacer(canvas));

        // Asked first for another document (the canvas changed since), the plan lets its index go.
        var stale = ExplanationPlan.Make(canvas, ids);
        Assert.Null(stale.TakePlacer(CanvasDocument.Parse(Encoding.UTF8.GetBytes(text))));
        Assert.Null(stale.TakePlacer(canvas));

        var (first, second) = (canvas.FindNode(ids[0])!, canvas.FindNode(ids[1])!);
        Rect SpotOf(CanvasNode node) => new(plan.Spots[node.Id].X, plan.Spots[node.Id].Y, CanvasWriteBack.NodeWidth, CanvasWriteBack.NodeHeight);
        Assert.False(placer.TryTake(SpotOf(first), Rect.Of(second), second.Id));
        Assert.True(placer.TryTake(SpotOf(first), Rect.Of(first), first.Id));
        Assert.False(placer.TryTake(SpotOf(first), Rect.Of(first), first.Id));

        // A wrong spot asked for a concept leaves the spot held for it.
        Assert.False(placer.TryTake(SpotOf(first), Rect.Of(second), second.Id));
        Assert.True(placer.TryTake(SpotOf(second), Rect.Of(second), second.Id));
    }

    [Fact]
    public async Task A_spot_held_by_the_plan_is_not_taken_by_an_explanation_placed_before_its_own()
    {
        // A's planned spot is right of A; C, just below A, would take room there for an explanation
        // that comes without a plan (a single run, say) if the spot were not held.
        const string text = """
            {"nodes":[
            {"id":"a","type":"text","text":"集合","x":0,"y":0,"width":300,"height":120},
            {"id":"c","type":"text","text":"映射","x":0,"y":200,"width":300,"height":120}
            ],"edges":[]}
            """;
        var path = _temp.Write("held.canvas", text);
        var cache = new CanvasCache();
        var plan = ExplanationPlan.Make(await cache.LoadAsync(path), ["a"]);
        var c = new ExplanationPlacement("c", "file-c", "edge-c", "map-explanations/c.md", "oral-explanation");
        var a = new ExplanationPlacement("a", "file-a", "edge-a", "map-explanations/a.md", "oral-explanation", plan.Spots["a"], plan);

        await new CanvasWriteBack(cache).AddExplanationsAsync(path, [c, a]);

        var doc = await CanvasDocument.LoadAsync(path);
        Assert.Equal((plan.Spots["a"].X, plan.Spots["a"].Y), Spots(doc, ["a"])["a"]);
        AssertNoOverlaps(doc);
    }

    [Fact]
    public async Task A_plan_made_beside_the_agents_gives_the_same_spots_as_one_made_at_once_and_hands_its_index_on_when_complete()
    {
        var (text, ids) = DenseGrid();
        var canvas = CanvasDocument.Parse(Encoding.UTF8.GetBytes(text));
        var atOnce = ExplanationPlan.Make(canvas, ids).Spots;

        var plan = ExplanationPlan.Start(canvas, ids);
        var spots = await Task.WhenAll(ids.AsEnumerable().Reverse().Select(id => plan.SpotAsync(id))).WaitAsync(Timeout);
        await plan.Completion.WaitAsync(Timeout);

        Assert.Equal(ids.AsEnumerable().Reverse().Select(id => (PlannedSpot?)atOnce[id]), spots);
        Assert.Null(await plan.SpotAsync("not-on-the-canvas"));
        Assert.NotNull(plan.TakePlacer(canvas));
    }

    [Fact]
    public void Plans_on_a_canvas_whose_index_was_built_ahead_give_the_spots_of_a_fresh_plan_each_time()
    {
        var (text, ids) = DenseGrid();
        var fresh = ExplanationPlan.Make(CanvasDocument.Parse(Encoding.UTF8.GetBytes(text)), ids).Spots;
        var analyzed = CanvasDocument.Parse(Encoding.UTF8.GetBytes(text)).Freeze();

        // Analyze read it twice; then two sessions plan on it: the second cannot use the first's
        // index, which holds the first's spots.
        ReadyPlacers.Prepare(analyzed);
        ReadyPlacers.Prepare(analyzed);
        var first = ExplanationPlan.Make(analyzed, ids).Spots;
        var second = ExplanationPlan.Make(analyzed, ids).Spots;

        Assert.Equal(fresh, first);
        Assert.Equal(fresh, second);
    }

    [Fact]
    public async Task A_node_gets_its_spot_while_the_rest_of_the_plan_is_still_being_made()
    {
        using var go = new ManualResetEventSlim();
        var (plan, canvas, ids) = StartedOnDenseGrid(() => go.Wait(Timeout), CancellationToken.None);

        // The planning holds after the first spot: that spot is had, the others wait.
        var first = await plan.SpotAsync(ids[0]).WaitAsync(Timeout);
        var second = plan.SpotAsync(ids[1]);
        Assert.Equal(ExplanationPlan.Make(canvas, ids).Spots[ids[0]], first);
        Assert.False(second.IsCompleted);
        Assert.False(plan.Completion.IsCompleted);

        // A write asking for the index meanwhile gets none: it cannot share it with the planning.
        Assert.Null(plan.TakePlacer(canvas));

        go.Set();
        Assert.NotNull(await second.WaitAsync(Timeout));
        await plan.Completion.WaitAsync(Timeout);
        Assert.Null(plan.TakePlacer(canvas));
    }

    [Fact]
    public async Task Nodes_waiting_on_a_plan_that_is_cancelled_get_no_spot_and_are_placed_by_the_writer()
    {
        using var cancel = new CancellationTokenSource();
        var (plan, _, ids) = StartedOnDenseGrid(cancel.Cancel, cancel.Token);

        var last = await plan.SpotAsync(ids[^1]).WaitAsync(Timeout);

        Assert.Null(last);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => plan.Completion.WaitAsync(Timeout));
        Assert.NotNull(await plan.SpotAsync(ids[0]));
    }

    /// <summary>A plan started on the dense grid that calls <paramref name="afterFirstSpot"/> on its planning thread once the first spot is given.</summary>
    private static (ExplanationPlan Plan, CanvasDocument Canvas, List<string> Ids) StartedOnDenseGrid(Action afterFirstSpot, CancellationToken cancellationToken)
    {
        var (text, ids) = DenseGrid();
        var canvas = CanvasDocument.Parse(Encoding.UTF8.GetBytes(text));
        var plan = ExplanationPlan.Start(canvas, ids, id =>
        {
            if (id == ids[0])
            {
                afterFirstSpot();
            }
        }, cancellationToken);
        return (plan, canvas, ids);
    }

    /// <summary>Cards of 300 × 120 at 400 × 600 pitch, ten a row: room for most explanations near their card, not all.</summary>
    private static (string Text, List<string> Ids) DenseGrid()
    {
        var ids = Enumerable.Range(0, Cards).Select(i => $"c{i:00}").ToList();
        var nodes = ids.Select((id, i) => string.Create(CultureInfo.InvariantCulture,
            $"{{\"id\":\"{id}\",\"type\":\"text\",\"text\":\"概念 {i}\",\"x\":{i % 10 * 400},\"y\":{i / 10 * 600},\"width\":300,\"height\":120,\"color\":\"3\"}}"));
        return ($"{{\"nodes\":[{string.Join(",\n", nodes)}],\"edges\":[]}}", ids);
    }

    private async Task<CanvasDocument> WriteOneByOneAsync(string name, string text, IReadOnlyList<string> order, IReadOnlyDictionary<string, PlannedSpot>? plan)
    {
        var path = _temp.Write(name, text);
        var writer = new CanvasWriteBack();
        foreach (var id in order)
        {
            await writer.AddExplanationAsync(path, Placement(id, plan));
        }

        return await CanvasDocument.LoadAsync(path);
    }

    private static ExplanationPlacement Placement(string id, IReadOnlyDictionary<string, PlannedSpot>? plan) =>
        new(id, $"file-{id}", $"edge-{id}", $"map-explanations/{id}.md", "oral-explanation", plan?[id]);

    private static Dictionary<string, (double X, double Y)> Spots(CanvasDocument doc, IEnumerable<string> ids) =>
        ids.ToDictionary(id => id, id => doc.FindNode($"file-{id}") is { } node ? (node.X, node.Y) : throw new InvalidOperationException($"no explanation of {id}"));

    private static void AssertNoOverlaps(CanvasDocument doc)
    {
        foreach (var a in doc.Nodes.Where(n => n.Type == CanvasNodeTypes.File))
        {
            foreach (var b in doc.Nodes.Where(b => !ReferenceEquals(a, b)))
            {
                Assert.False(a.X < b.Right && b.X < a.Right && a.Y < b.Bottom && b.Y < a.Bottom, $"{a.Id} overlaps {b.Id}");
            }
        }
    }
}
