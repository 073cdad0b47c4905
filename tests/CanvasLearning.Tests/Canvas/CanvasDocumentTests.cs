using System.Text;
using System.Text.Json.Nodes;
using CanvasLearning.Canvas;

namespace CanvasLearning.Tests.Canvas;

public sealed class CanvasDocumentTests
{
    private const string Sample = """
        {
          "nodes": [
            {"id": "a", "type": "text", "text": "什么是逆否命题", "x": 0, "y": 0, "width": 250, "height": 60, "color": "3", "custom": {"keep": [1, 2]}},
            {"id": "b", "type": "text", "text": "A vs B", "x": 10.5, "y": -20.25, "width": 250, "height": 60, "color": "#FF0000"},
            {"id": "c", "type": "file", "file": "notes/x.md", "subpath": "#h", "x": 300, "y": 0, "width": 400, "height": 400},
            {"id": "d", "type": "mindmap", "x": 0, "y": 500, "width": 10, "height": 10, "branches": ["x"]},
            {"id": "g", "type": "group", "label": "Logic", "x": -50, "y": -50, "width": 1000, "height": 1000, "background": "bg.png"},
            {"id": "l", "type": "link", "url": "https://example.org", "x": 0, "y": 700, "width": 100, "height": 100, "color": "3"}
          ],
          "edges": [
            {"id": "e1", "fromNode": "a", "fromSide": "right", "toNode": "b", "toSide": "left", "label": "对比", "fromEnd": "none", "toEnd": "arrow"},
            {"id": "e2", "fromNode": "c", "toNode": "a", "color": "5"},
            {"id": "e3", "fromNode": "a", "toNode": "b", "label": "对比"},
            {"id": "e4", "fromNode": "a", "toNode": "a"},
            {"id": "e5", "fromNode": "a", "toNode": "missing"}
          ],
          "metadata": {"version": "1.0", "frontmatter": {}}
        }
        """;

    [Fact]
    public void Round_trip_keeps_unknown_fields_and_node_types()
    {
        var json = CanvasDocument.Parse(Sample).ToJson();

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Sample), JsonNode.Parse(json)));
        Assert.Contains("\"mindmap\"", json, StringComparison.Ordinal);
        Assert.Contains("\"metadata\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Round_trip_keeps_property_order()
    {
        var json = CanvasDocument.Parse("""{"edges":[],"zeta":1,"nodes":[{"type":"text","id":"a","x":0,"y":0,"width":1,"height":1}]}""").ToJson();

        var root = JsonNode.Parse(json)!.AsObject();
        Assert.Equal(["edges", "zeta", "nodes"], root.Select(p => p.Key));
        Assert.Equal(["type", "id", "x", "y", "width", "height"], root["nodes"]![0]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public void Added_objects_keep_Chinese_and_emoji_as_they_are()
    {
        var doc = CanvasDocument.Parse(Sample);
        doc.AddNode(new CanvasNode("n1", "file", 0, 0, 400, 300, File: "ex/📦 什么是逆否命题 <1> & \"2\".md"));

        var json = doc.ToJson();

        Assert.Contains("\"file\": \"ex/📦 什么是逆否命题 <1> & \\\"2\\\".md\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Typed_view_reads_integer_and_fractional_geometry()
    {
        var doc = CanvasDocument.Parse(Sample);

        var b = doc.FindNode("b")!;
        Assert.Equal((10.5, -20.25, 250d, 60d), (b.X, b.Y, b.Width, b.Height));
        Assert.Equal("text", b.Type);
        Assert.Equal("notes/x.md", doc.FindNode("c")!.File);
        Assert.Equal("#h", doc.FindNode("c")!.Subpath);
        Assert.Equal("Logic", doc.FindNode("g")!.Label);
        Assert.Equal("https://example.org", doc.FindNode("l")!.Url);
        Assert.Equal(6, doc.Nodes.Count);
        Assert.Equal(5, doc.Edges.Count);
        Assert.Equal("arrow", doc.Edges[0].ToEnd);
    }

    [Fact]
    public void Missing_arrays_read_as_empty()
    {
        var doc = CanvasDocument.Parse("{}");

        Assert.Empty(doc.Nodes);
        Assert.Empty(doc.Edges);
        Assert.Equal("{}", doc.ToJson());
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("", "not valid JSON")]
    [InlineData("[1,2]", "must be a JSON object")]
    [InlineData("null", "must be a JSON object")]
    [InlineData("""{"nodes": {}}""", "\"nodes\" must be an array")]
    [InlineData("""{"edges": 3}""", "\"edges\" must be an array")]
    [InlineData("""{"nodes": [{"id":"a"},{"id":"b"},{"type":"text"}]}""", "node #3 has no id")]
    [InlineData("""{"nodes": [{"id": 5}]}""", "node #1 has no id")]
    [InlineData("""{"nodes": ["a"]}""", "node #1 is not an object")]
    [InlineData("""{"nodes": [{"id":"a","id":"b"}]}""", "appears twice")]
    public void Bad_documents_are_refused_with_a_message_saying_what_is_wrong(string json, string expected)
    {
        var ex = Assert.Throws<CanvasFormatException>(() => CanvasDocument.Parse(json));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_errors_say_what_is_wrong_and_leave_naming_the_file_to_the_caller()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("broken.canvas", "{\"nodes\": [{\"id\":\"a\",\"type\":\"text\"");

        var ex = await Assert.ThrowsAsync<CanvasFormatException>(() => CanvasDocument.LoadAsync(path));

        // Every caller says which canvas it read; naming it here too made messages say it twice.
        Assert.Contains("not valid JSON", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("broken.canvas", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(dir.Path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_ids_keep_the_first_for_lookups()
    {
        var doc = CanvasDocument.Parse("""{"nodes":[{"id":"a","type":"text","text":"first"},{"id":"a","type":"text","text":"second"}]}""");

        Assert.Equal("first", doc.FindNode("a")!.Text);
        Assert.Equal(2, doc.Nodes.Count);
    }

    [Theory]
    [InlineData("""{"nodes":[{"id":"a"},{"id":"b"}],"edges":[{"id":"e","fromNode":"a","toNode":"b"}]}""")]
    [InlineData("""{"edges":[{"id":"e","fromNode":"a","toNode":"b"}],"nodes":[{"id":"a"},{"id":"b"}]}""")]
    [InlineData("""{"nodes":[{"id":"a"},{"id":"b"}],"edges":[{"id":"e","fromNode":"\u0061","toNode":"b"}]}""")]
    public void Edge_ends_read_the_same_wherever_the_edges_are_and_however_the_ids_are_written(string json)
    {
        var doc = CanvasDocument.Parse(json);

        var edge = Assert.Single(doc.Edges);
        Assert.Equal(("a", "b"), (edge.FromNode, edge.ToNode));
        Assert.Same(doc.FindNode("b"), doc.FindNode(edge.ToNode));
    }

    [Fact]
    public void Edge_ends_that_are_no_node_or_not_UTF_8_are_read_or_refused_as_before()
    {
        var doc = CanvasDocument.Parse("""{"nodes":[{"id":"a"}],"edges":[{"id":"e","fromNode":"a","toNode":"gone"},{"id":"f","fromNode":"长","toNode":"a"}]}""");
        Assert.Equal(["gone", "长"], doc.Edges.Select(e => e.ToNode == "a" ? e.FromNode : e.ToNode));

        // A node "a\uFFFD" and an edge end "a" + a byte that is no UTF-8: the end is refused, not taken for the node.
        var bytes = Encoding.UTF8.GetBytes("""{"nodes":[{"id":"a\uFFFD"}],"edges":[{"id":"e","fromNode":"aX","toNode":"aX"}]}""");
        bytes[Array.LastIndexOf(bytes, (byte)'X')] = 0xFF;
        bytes[Array.LastIndexOf(bytes, (byte)'X')] = 0xFF;
        var ex = Assert.Throws<CanvasFormatException>(() => CanvasDocument.Parse(bytes));
        Assert.Contains("UTF-8", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TextNodesWithColor_matches_text_nodes_only_in_file_order()
    {
        var doc = CanvasDocument.Parse(Sample);

        Assert.Equal(["a"], doc.TextNodesWithColor("3").Select(n => n.Id));
        Assert.Equal(["b"], doc.TextNodesWithColor("#ff0000").Select(n => n.Id));
        Assert.Empty(doc.TextNodesWithColor("purple"));
        Assert.Empty(doc.TextNodesWithColor("4"));
    }

    [Fact]
    public void Neighbours_follow_edges_both_ways_without_duplicates()
    {
        var doc = CanvasDocument.Parse(Sample);

        var neighbours = CanvasNeighbours.Of(doc, ["a", "b", "unknown"]);

        Assert.Equal([("b", "对比"), ("c", null)], neighbours["a"].Select(n => (n.Node.Id, n.Label)));
        Assert.Equal([("a", "对比")], neighbours["b"].Select(n => (n.Node.Id, n.Label)));
        Assert.Empty(neighbours["unknown"]);
    }

    [Fact]
    public void AddNode_and_AddEdge_write_standard_fields_with_integer_geometry()
    {
        var doc = CanvasDocument.Parse(Sample);

        doc.AddNode(new CanvasNode("n1", "file", 10.4, 20.6, 400, 400, File: "x-explanations/a.md"));
        doc.AddEdge(new CanvasEdge("e9", "a", "n1", "bottom", "top", "oral-explanation"));

        var root = JsonNode.Parse(doc.ToJson())!;
        var node = root["nodes"]!.AsArray().Last()!;
        Assert.Equal("""{"id":"n1","type":"file","file":"x-explanations/a.md","x":10,"y":21,"width":400,"height":400}""", node.ToJsonString());
        var edge = root["edges"]!.AsArray().Last()!;
        Assert.Equal("""{"id":"e9","fromNode":"a","fromSide":"bottom","toNode":"n1","toSide":"top","label":"oral-explanation"}""", edge.ToJsonString());
        Assert.True(doc.ContainsId("n1"));
        Assert.True(doc.ContainsId("e9"));
        Assert.Equal("oral-explanation", CanvasNeighbours.Of(doc, ["n1"])["n1"].Single().Label);
    }

    [Fact]
    public void Adding_to_a_document_without_arrays_creates_them()
    {
        var doc = CanvasDocument.Parse("""{"metadata":{}}""");

        doc.AddNode(new CanvasNode("n1", "text", 0, 0, 10, 10, Text: "hi"));

        Assert.Single(doc.Nodes);
        Assert.NotNull(JsonNode.Parse(doc.ToJson())!["metadata"]);
    }

    [Fact]
    public void Taken_ids_and_dangling_edges_are_refused()
    {
        var doc = CanvasDocument.Parse(Sample);

        Assert.Throws<InvalidOperationException>(() => doc.AddNode(new CanvasNode("a", "text", 0, 0, 1, 1)));
        Assert.Throws<InvalidOperationException>(() => doc.AddNode(new CanvasNode("e1", "text", 0, 0, 1, 1)));
        Assert.Throws<InvalidOperationException>(() => doc.AddEdge(new CanvasEdge("e9", "a", "nowhere")));
    }
}
