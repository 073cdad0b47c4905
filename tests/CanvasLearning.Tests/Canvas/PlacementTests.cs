using CanvasLearning.Canvas;

namespace CanvasLearning.Tests.Canvas;

/// <summary>Where explanations land on canvases that look like real study maps: the promises a learner can check by eye.</summary>
public sealed class PlacementTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly CanvasWriteBack _writeBack = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Every_explanation_lands_in_free_space_within_400_px_of_its_concept()
    {
        var (doc, marked) = await ExplainAllAsync(RealLikeCanvas.StudyMap(CanvasStyle.Obsidian, columns: 4, rows: 12));

        var distances = marked.Select(id => Distance(doc, id)).ToList();
        Assert.All(distances, d => Assert.InRange(d, 40, 400));
        AssertNoOverlaps(doc);
    }

    [Fact]
    public async Task On_a_canvas_with_groups_packed_tight_nothing_overlaps_or_straddles_a_border()
    {
        var (doc, marked) = await ExplainAllAsync(RealLikeCanvas.StudyMap(CanvasStyle.Obsidian, columns: 6, rows: 16, columnPitch: 820));

        AssertNoOverlaps(doc);
        AssertNoneStraddlesAGroup(doc);
        Assert.Equal(marked.Count, doc.Nodes.Count(n => n.Type == CanvasNodeTypes.File && n.File!.StartsWith("study-explanations/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Explanations_stay_outside_groups_they_do_not_belong_to_and_never_cross_a_border()
    {
        var (doc, _) = await ExplainAllAsync(RealLikeCanvas.StudyMap(CanvasStyle.Obsidian, columns: 4, rows: 12));

        AssertNoneStraddlesAGroup(doc);
    }

    [Fact]
    public async Task The_explanation_goes_inside_the_source_group_when_the_group_has_room()
    {
        var path = _temp.Write("study.canvas", """
            {"nodes":[
            	{"id":"g","type":"group","label":"命题","x":-40,"y":-40,"width":1200,"height":800},
            	{"id":"src","type":"text","text":"什么是命题","x":0,"y":0,"width":320,"height":120,"color":"3"},
            	{"id":"blocker","type":"text","text":"x","x":360,"y":0,"width":320,"height":120}
            ],"edges":[]}
            """);

        await _writeBack.AddExplanationsAsync(path, [Placement("src")]);

        var doc = await CanvasDocument.LoadAsync(path);
        var placed = Explanation(doc, "src");
        Assert.True(Inside(doc.FindNode("g")!, placed), $"at {placed.X},{placed.Y}: not inside the group");
        Assert.True(Distance(doc, "src") <= 400);
    }

    [Fact]
    public async Task Right_of_the_source_when_free_else_below_else_left_else_above()
    {
        // src is boxed in on the right; below is free.
        var path = _temp.Write("study.canvas", """
            {"nodes":[
            	{"id":"src","type":"text","text":"a","x":0,"y":0,"width":300,"height":100,"color":"3"},
            	{"id":"wall","type":"text","text":"b","x":460,"y":-2000,"width":300,"height":4000}
            ],"edges":[]}
            """);

        await _writeBack.AddExplanationsAsync(path, [Placement("src")]);

        var doc = await CanvasDocument.LoadAsync(path);
        var placed = Explanation(doc, "src");
        Assert.Equal((0d, 140d), (placed.X, placed.Y));
        var edge = doc.Edges.Single(e => e.ToNode == placed.Id);
        Assert.Equal(("bottom", "top"), (edge.FromSide, edge.ToSide));
    }

    [Fact]
    public async Task The_edge_leaves_the_side_of_the_source_that_faces_its_explanation()
    {
        var (doc, marked) = await ExplainAllAsync(RealLikeCanvas.StudyMap(CanvasStyle.Obsidian));

        foreach (var id in marked)
        {
            var source = doc.FindNode(id)!;
            var placed = Explanation(doc, id);
            var edge = doc.Edges.Single(e => e.ToNode == placed.Id);
            var expected = edge.FromSide switch
            {
                "right" => placed.X >= source.Right,
                "left" => placed.Right <= source.X,
                "bottom" => placed.Y >= source.Bottom,
                "top" => placed.Bottom <= source.Y,
                _ => false,
            };
            Assert.True(expected, $"{id}: edge from {edge.FromSide}, explanation at {placed.X},{placed.Y}");
            Assert.Equal(Opposite(edge.FromSide!), edge.ToSide);
        }
    }

    [Fact]
    public async Task The_same_canvas_gets_the_same_places_every_time()
    {
        var canvas = RealLikeCanvas.StudyMap(CanvasStyle.Obsidian, columns: 5, rows: 14, columnPitch: 820);
        var (first, _) = await ExplainAllAsync(canvas, "a.canvas");
        var (second, _) = await ExplainAllAsync(canvas, "b.canvas");

        Assert.Equal(first.ToJson(), second.ToJson());
    }

    [Fact]
    public async Task A_node_the_learner_moved_and_resized_stays_where_they_put_it()
    {
        var (text, marked) = RealLikeCanvas.StudyMap(CanvasStyle.Obsidian);
        var path = _temp.Write("study.canvas", text);
        await _writeBack.AddExplanationsAsync(path, [Placement(marked[0])]);
        var doc = await CanvasDocument.LoadAsync(path);
        var ours = Explanation(doc, marked[0]);
        var moved = (await File.ReadAllTextAsync(path)).Replace(
            $"\"x\":{ours.X},\"y\":{ours.Y},\"width\":400,\"height\":300", "\"x\":-5000,\"y\":-5000,\"width\":640,\"height\":480", StringComparison.Ordinal);
        await File.WriteAllTextAsync(path, moved);

        await _writeBack.AddExplanationsAsync(path, [Placement(marked[0]) with { FileNodeId = "0123456789abcdef", EdgeId = "fedcba9876543210" }]);

        Assert.Equal(moved, await File.ReadAllTextAsync(path));
    }

    private async Task<(CanvasDocument Doc, IReadOnlyList<string> Marked)> ExplainAllAsync((string Text, IReadOnlyList<string> MarkedIds) canvas, string name = "study.canvas")
    {
        var path = _temp.Write(name, canvas.Text);
        await _writeBack.AddExplanationsAsync(path, canvas.MarkedIds.Select(Placement).ToList());
        return (await CanvasDocument.LoadAsync(path), canvas.MarkedIds);
    }

    private static ExplanationPlacement Placement(string nodeId) =>
        new(nodeId, ExplanationFiles.StableId("t", nodeId, "file"), ExplanationFiles.StableId("t", nodeId, "edge"), $"study-explanations/{nodeId}.md", "oral-explanation");

    private static CanvasNode Explanation(CanvasDocument doc, string sourceId) =>
        doc.Nodes.Single(n => n.File == $"study-explanations/{sourceId}.md");

    private static double Distance(CanvasDocument doc, string sourceId)
    {
        var (a, b) = (doc.FindNode(sourceId)!, Explanation(doc, sourceId));
        var dx = Math.Max(0, Math.Max(b.X - a.Right, a.X - b.Right));
        var dy = Math.Max(0, Math.Max(b.Y - a.Bottom, a.Y - b.Bottom));
        return Math.Sqrt((dx * dx) + (dy * dy));
    }

    private static void AssertNoOverlaps(CanvasDocument doc)
    {
        var cards = doc.Nodes.Where(n => n.Type != CanvasNodeTypes.Group).ToList();
        var ours = cards.Where(n => n.File?.StartsWith("study-explanations/", StringComparison.Ordinal) == true).ToList();
        foreach (var a in ours)
        {
            foreach (var b in cards.Where(b => !ReferenceEquals(a, b)))
            {
                Assert.False(a.X < b.Right && b.X < a.Right && a.Y < b.Bottom && b.Y < a.Bottom, $"{a.File} overlaps {b.Id}");
            }
        }
    }

    private static void AssertNoneStraddlesAGroup(CanvasDocument doc)
    {
        var groups = doc.Nodes.Where(n => n.Type == CanvasNodeTypes.Group).ToList();
        foreach (var ours in doc.Nodes.Where(n => n.File?.StartsWith("study-explanations/", StringComparison.Ordinal) == true))
        {
            foreach (var g in groups)
            {
                var overlaps = ours.X < g.Right && g.X < ours.Right && ours.Y < g.Bottom && g.Y < ours.Bottom;
                Assert.False(overlaps && !Inside(g, ours), $"{ours.File} at {ours.X},{ours.Y} straddles group {g.Id}");
            }
        }
    }

    private static bool Inside(CanvasNode outer, CanvasNode inner) =>
        outer.X <= inner.X && outer.Y <= inner.Y && inner.Right <= outer.Right && inner.Bottom <= outer.Bottom;

    private static string Opposite(string side) => side switch
    {
        "right" => "left",
        "left" => "right",
        "bottom" => "top",
        _ => "bottom",
    };
}
