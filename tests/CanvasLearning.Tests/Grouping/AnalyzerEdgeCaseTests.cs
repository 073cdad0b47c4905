using CanvasLearning.Agents;
using CanvasLearning.Grouping;

namespace CanvasLearning.Tests.Grouping;

public sealed class AnalyzerEdgeCaseTests
{
    private static readonly CanvasAnalyzer s_analyzer = new();

    private static AnalyzeResponse Group(params string[] texts) =>
        s_analyzer.Group("c.canvas", texts.Select((t, i) => ($"n{i}", t)).ToArray(), new AnalyzeOptions());

    [Fact]
    public void No_notes_give_no_groups()
    {
        var response = Group();

        Assert.Equal(new AnalyzeResponse("c.canvas", 0, response.Groups, 0, null, 0, 0), response);
        Assert.Empty(response.Groups);
    }

    [Fact]
    public void One_note_gives_one_group()
    {
        var response = Group("BFS vs DFS");

        var group = Assert.Single(response.Groups);
        Assert.Equal("g1", group.GroupId);
        Assert.Equal([new AnalyzedNode("n0", "BFS vs DFS")], group.Nodes);
        Assert.Equal(AgentTypes.ComparisonTable, group.RecommendedAgent);
        Assert.Equal(1, response.TotalNodes);
        Assert.Equal(1, response.RecommendedK);
        Assert.Equal(30, response.EstimatedDuration);
    }

    [Fact]
    public void Identical_notes_stay_together()
    {
        var response = Group(Enumerable.Repeat("什么是稳定排序？", 5).ToArray());

        var group = Assert.Single(response.Groups);
        Assert.Equal(5, group.Nodes.Count);
        Assert.Equal(1, response.RecommendedK);
        Assert.Equal(0, response.SilhouetteScore);
        Assert.Equal(AgentTypes.OralExplanation, group.RecommendedAgent);
        Assert.Equal(1.0, group.Confidence);
    }

    [Fact]
    public void Notes_without_topic_words_are_still_grouped_and_named()
    {
        var response = Group("什么是？", "vs", "为什么？", "？？");

        Assert.Equal(4, response.Groups.Sum(g => g.Nodes.Count));
        Assert.All(response.Groups, g => Assert.False(string.IsNullOrWhiteSpace(g.GroupName)));
    }

    [Fact]
    public void Large_canvases_get_a_resource_warning()
    {
        var topics = new[] { "快速排序", "逆否命题", "二分图", "条件概率" };
        var texts = Enumerable.Range(0, 120).Select(i => $"{topics[i % 4]} 问题 {i}").ToArray();

        var response = Group(texts);

        Assert.Equal(300, response.EstimatedDuration);
        Assert.NotNull(response.ResourceWarning);
        Assert.StartsWith("120 nodes: expect about 5 minutes", response.ResourceWarning, StringComparison.Ordinal);
        Assert.Equal(120, response.Groups.Sum(g => g.Nodes.Count));
    }

    [Theory]
    [InlineData(5, 0.75, "high")]
    [InlineData(3, 0.83, "high")]
    [InlineData(2, 1.0, "medium")]
    [InlineData(6, 0.4, "medium")]
    [InlineData(2, 0.4, "low")]
    [InlineData(1, 0.4, "low")]
    public void Priority_follows_size_and_confidence(int size, double confidence, string expected) =>
        Assert.Equal(expected, GroupDescriber.Priority(size, confidence));
}
