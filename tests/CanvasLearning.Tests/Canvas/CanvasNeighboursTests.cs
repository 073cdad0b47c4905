using CanvasLearning.Canvas;

namespace CanvasLearning.Tests.Canvas;

public sealed class CanvasNeighboursTests
{
    private const string Linked = """
        {"nodes":[
        {"id":"a","type":"text","text":"集合","x":0,"y":0,"width":100,"height":50},
        {"id":"b","type":"text","text":"子集","x":200,"y":0,"width":100,"height":50},
        {"id":"c","type":"file","file":"notes/c.md","x":400,"y":0,"width":100,"height":50},
        {"id":"d","type":"text","text":"alone","x":600,"y":0,"width":100,"height":50}
        ],"edges":[
        {"id":"e1","fromNode":"a","toNode":"b","label":"对比"},
        {"id":"e2","fromNode":"b","toNode":"a","label":"对比"},
        {"id":"e3","fromNode":"b","toNode":"a"},
        {"id":"e4","fromNode":"a","toNode":"a","label":"self"},
        {"id":"e5","fromNode":"c","toNode":"a"},
        {"id":"e6","fromNode":"a","toNode":"gone"}
        ]}
        """;

    [Fact]
    public void Each_node_gets_its_neighbours_either_way_once_per_label_without_self_loops_or_missing_ends()
    {
        var doc = CanvasDocument.Parse(Linked);

        var all = CanvasNeighbours.Of(doc, ["a", "b", "c", "d", "unknown"]);

        Assert.Equal([("b", "对比"), ("b", null), ("c", null)], all["a"].Select(n => (n.Node.Id, n.Label)));
        Assert.Equal([("a", "对比"), ("a", null)], all["b"].Select(n => (n.Node.Id, n.Label)));
        Assert.Equal([("a", null)], all["c"].Select(n => (n.Node.Id, n.Label)));
        Assert.Empty(all["d"]);
        Assert.Empty(all["unknown"]);
    }
}
