using System.Text.Json;
using CanvasLearning.Agents;
using CanvasLearning.Grouping;

namespace CanvasLearning.Tests.Grouping;

public sealed class SampleGroupingTests
{
    private static readonly CanvasAnalyzer s_analyzer = new();

    private static AnalyzeResponse Analyze(AnalyzeOptions? options = null) =>
        s_analyzer.Group(SampleCanvas.RelativePath, SampleCanvas.TextNodes(), options ?? new AnalyzeOptions());

    [Fact]
    public void Sample_has_many_purple_notes_and_every_other_kind_of_node()
    {
        using var canvas = SampleCanvas.Load();
        var nodes = canvas.RootElement.GetProperty("nodes").EnumerateArray().ToArray();
        var edges = canvas.RootElement.GetProperty("edges").EnumerateArray().ToArray();

        Assert.True(SampleCanvas.TextNodes().Count >= 36);
        Assert.Contains(nodes, n => n.GetProperty("type").GetString() == "text" && !n.TryGetProperty("color", out _));
        Assert.Contains(nodes, n => n.GetProperty("type").GetString() == "group");
        Assert.Contains(nodes, n => n.GetProperty("type").GetString() == "link");
        var files = nodes.Where(n => n.GetProperty("type").GetString() == "file").ToArray();
        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.True(File.Exists(Path.Combine(SampleCanvas.VaultDirectory, f.GetProperty("file").GetString()!))));
        Assert.Contains(edges, e => e.TryGetProperty("label", out _));
        var ids = nodes.Select(n => n.GetProperty("id").GetString()).ToHashSet();
        Assert.All(edges, e => Assert.Contains(e.GetProperty("fromNode").GetString(), ids));
        Assert.All(edges, e => Assert.Contains(e.GetProperty("toNode").GetString(), ids));
    }

    [Fact]
    public void Sample_is_split_into_at_least_three_groups()
    {
        var response = Analyze();

        Assert.True(response.Groups.Count >= 3, $"{response.Groups.Count} groups");
        Assert.InRange(response.RecommendedK, 3, 10);
        Assert.InRange(response.SilhouetteScore, 0.001, 1.0);
        Assert.Equal(Math.Round(response.SilhouetteScore, 3), response.SilhouetteScore);
    }

    [Fact]
    public void Every_purple_note_is_in_exactly_one_group_in_canvas_order()
    {
        var nodes = SampleCanvas.TextNodes();
        var response = Analyze();

        var grouped = response.Groups.SelectMany(g => g.Nodes).ToArray();
        Assert.Equal(nodes.Count, response.TotalNodes);
        Assert.Equal(nodes.Select(n => n.Id).Order(StringComparer.Ordinal), grouped.Select(n => n.NodeId).Order(StringComparer.Ordinal));
        Assert.All(grouped, n => Assert.Equal(nodes.Single(x => x.Id == n.NodeId).Text, n.Text));
        var order = nodes.Select((n, i) => (n.Id, i)).ToDictionary(x => x.Id, x => x.i);
        Assert.All(response.Groups, g => Assert.Equal(g.Nodes.Select(n => order[n.NodeId]).Order(), g.Nodes.Select(n => order[n.NodeId])));
    }

    [Fact]
    public void Groups_are_numbered_by_their_first_note()
    {
        var nodes = SampleCanvas.TextNodes();
        var response = Analyze();

        Assert.Equal(Enumerable.Range(1, response.Groups.Count).Select(i => $"g{i}"), response.Groups.Select(g => g.GroupId));
        var firsts = response.Groups.Select(g => nodes.ToList().FindIndex(n => n.Id == g.Nodes[0].NodeId)).ToArray();
        Assert.Equal(firsts.Order(), firsts);
        Assert.Equal(nodes[0].Id, response.Groups[0].Nodes[0].NodeId);
    }

    [Fact]
    public void Analyzing_twice_gives_the_same_answer()
    {
        var first = JsonSerializer.Serialize(Analyze());
        var second = JsonSerializer.Serialize(s_analyzer.Group(SampleCanvas.RelativePath, SampleCanvas.TextNodes(), new AnalyzeOptions()));

        Assert.Equal(first, second);
    }

    [Fact]
    public void Comparison_questions_get_a_comparison_table_group()
    {
        var response = Analyze();

        var comparison = Assert.Single(response.Groups, g => g.Nodes.Any(n => n.Text.StartsWith("快速排序 vs 归并排序", StringComparison.Ordinal)));
        Assert.Equal(AgentTypes.ComparisonTable, comparison.RecommendedAgent);
        Assert.Equal("⚖️", comparison.GroupEmoji);
        Assert.InRange(comparison.Confidence, 0.5, 1.0);
    }

    [Fact]
    public void Groups_have_keyword_names_known_agents_and_a_priority()
    {
        var response = Analyze();

        Assert.All(response.Groups, g =>
        {
            Assert.False(string.IsNullOrWhiteSpace(g.GroupName));
            Assert.InRange(g.GroupName.Split(" / ").Length, 1, 3);
            Assert.True(AgentTypes.IsKnown(g.RecommendedAgent));
            Assert.Equal(AgentRouter.EmojiFor(g.RecommendedAgent), g.GroupEmoji);
            Assert.Contains(g.Priority, new[] { "high", "medium", "low" });
        });
        Assert.Contains(response.Groups, g => g.GroupName.Contains("排序", StringComparison.Ordinal));
        Assert.Contains(response.Groups, g => g.GroupName.Contains("命题", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(7)]
    public void Min_nodes_per_group_is_respected(int minimum)
    {
        var response = Analyze(new AnalyzeOptions(MinNodesPerGroup: minimum));

        Assert.All(response.Groups, g => Assert.True(g.Nodes.Count >= minimum, $"{g.GroupId} has {g.Nodes.Count}"));
        Assert.Equal(response.TotalNodes, response.Groups.Sum(g => g.Nodes.Count));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    public void Max_groups_is_respected_and_the_silhouette_choice_still_reported(int maximum)
    {
        var free = Analyze();
        var response = Analyze(new AnalyzeOptions(MaxGroups: maximum, MinNodesPerGroup: 1));

        Assert.InRange(response.Groups.Count, 1, maximum);
        Assert.Equal(free.RecommendedK, response.RecommendedK);
        Assert.Equal(response.TotalNodes, response.Groups.Sum(g => g.Nodes.Count));
    }

    [Fact]
    public void Duration_is_estimated_from_waves_of_twelve_agents()
    {
        var response = Analyze();

        Assert.Equal((response.TotalNodes + 11) / 12 * 30, response.EstimatedDuration);
        Assert.Null(response.ResourceWarning);
    }
}
