using CanvasLearning.Canvas;

namespace CanvasLearning.Tests.Canvas;

/// <summary>The explanations a canvas shows, looked up by folder; kept with a frozen document, found afresh in one that can change.</summary>
public sealed class ExplainedNodesTests
{
    private const string Text =
        "{\"nodes\":[" +
        "{\"id\":\"a\",\"type\":\"text\",\"text\":\"a\",\"x\":0,\"y\":0,\"width\":250,\"height\":60}," +
        "{\"id\":\"b\",\"type\":\"text\",\"text\":\"b\",\"x\":0,\"y\":200,\"width\":250,\"height\":60}," +
        "{\"id\":\"fa\",\"type\":\"file\",\"file\":\"map-explanations/a.md\",\"x\":400,\"y\":0,\"width\":400,\"height\":300}," +
        "{\"id\":\"fb\",\"type\":\"file\",\"file\":\"other/b.md\",\"x\":400,\"y\":400,\"width\":400,\"height\":300}]," +
        "\"edges\":[{\"id\":\"e1\",\"fromNode\":\"a\",\"toNode\":\"fa\"},{\"id\":\"e2\",\"fromNode\":\"b\",\"toNode\":\"fb\"}]}";

    [Fact]
    public void A_frozen_document_answers_each_folder_with_its_own_explanations_every_time()
    {
        var document = CanvasDocument.Parse(Text).Freeze();

        for (var round = 0; round < 2; round++)
        {
            Assert.Equal(["a"], ExplainedNodes.ExplanationsIn(document, "map-explanations").Keys);
            Assert.Equal(["b"], ExplainedNodes.ExplanationsIn(document, "other").Keys);
            Assert.Empty(ExplainedNodes.ExplanationsIn(document, "elsewhere"));
        }

        Assert.Same(ExplainedNodes.ExplanationsIn(document, "other"), ExplainedNodes.ExplanationsIn(document, "other"));
    }

    [Fact]
    public void A_document_that_can_change_shows_what_was_added_since_the_last_lookup()
    {
        var document = CanvasDocument.Parse(Text);
        Assert.Equal(["a"], ExplainedNodes.ExplanationsIn(document, "map-explanations").Keys);

        document.AddNode(new CanvasNode("fb2", CanvasNodeTypes.File, 400, 800, 400, 300, File: "map-explanations/b.md"));
        document.AddEdge(new CanvasEdge("e3", "b", "fb2"));

        Assert.Equal(["a", "b"], ExplainedNodes.ExplanationsIn(document, "map-explanations").Keys.Order());
    }

    [Fact]
    public void What_a_frozen_document_shares_cannot_be_changed_by_a_caller()
    {
        var document = CanvasDocument.Parse(Text).Freeze();
        var found = ExplainedNodes.ExplanationsIn(document, "map-explanations");

        Assert.False(found is IDictionary<string, CanvasNode> { IsReadOnly: false });
    }

    [Fact]
    public void Edges_of_the_canvas_and_edges_added_before_or_after_the_first_question_all_count_as_links()
    {
        var document = CanvasDocument.Parse(Text);
        var explained = new ExplainedNodes(document);
        var before = new CanvasEdge("e3", "a", "fb");
        document.AddEdge(before);
        explained.Linked(before);

        Assert.True(explained.IsLinked("a", "fa"));
        Assert.True(explained.IsLinked("fa", "a"));
        Assert.True(explained.IsLinked("fb", "a"));
        Assert.False(explained.IsLinked("b", "fa"));

        var after = new CanvasEdge("e4", "b", "fa");
        document.AddEdge(after);
        explained.Linked(after);
        Assert.True(explained.IsLinked("b", "fa"));
        Assert.False(explained.IsLinked("a", "b"));
    }
}
