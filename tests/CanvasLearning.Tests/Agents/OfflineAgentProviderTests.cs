using CanvasLearning.Agents;
using static CanvasLearning.Tests.Agents.OfflineRequests;

namespace CanvasLearning.Tests.Agents;

public sealed class OfflineAgentProviderTests
{
    public static TheoryData<string> AllAgentTypes => [.. AgentTypes.All];

    [Theory]
    [InlineData(AgentTypes.ComparisonTable, "| **Definition** |")]
    [InlineData(AgentTypes.OralExplanation, "## Explain it to a friend")]
    [InlineData(AgentTypes.FourLevelExplanation, "## Level 4: Expert")]
    [InlineData(AgentTypes.ClarificationPath, "## Confusions to check")]
    [InlineData(AgentTypes.MemoryAnchor, "## Spaced review")]
    [InlineData(AgentTypes.ExampleTeaching, "## Practice problem")]
    [InlineData(AgentTypes.DeepDecomposition, "## Edge cases")]
    [InlineData(AgentTypes.BasicDecomposition, "## Broken into parts")]
    public async Task Each_agent_type_writes_its_key_section_in_English(string agentType, string section) =>
        Assert.Contains(section, await ExplainAsync(agentType, "Binary search tree"));

    [Theory]
    [InlineData(AgentTypes.ComparisonTable, "| **定义** |")]
    [InlineData(AgentTypes.OralExplanation, "## 像给朋友讲一样解释")]
    [InlineData(AgentTypes.FourLevelExplanation, "## 第四层：专家")]
    [InlineData(AgentTypes.ClarificationPath, "## 需要排查的困惑")]
    [InlineData(AgentTypes.MemoryAnchor, "## 间隔复习")]
    [InlineData(AgentTypes.ExampleTeaching, "## 练习题")]
    [InlineData(AgentTypes.DeepDecomposition, "## 边界情况")]
    [InlineData(AgentTypes.BasicDecomposition, "## 拆成几部分")]
    public async Task Each_agent_type_writes_its_key_section_in_Chinese(string agentType, string section) =>
        Assert.Contains(section, await ExplainAsync(agentType, "二叉搜索树"));

    [Fact]
    public async Task Every_agent_type_produces_distinct_content()
    {
        var bodies = new List<string>();
        foreach (var agentType in AgentTypes.All)
        {
            bodies.Add(Body(await ExplainAsync(agentType, "Binary search tree")));
        }

        Assert.Equal(bodies.Count, bodies.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [MemberData(nameof(AllAgentTypes))]
    public async Task Templates_leave_no_placeholder_behind(string agentType)
    {
        Assert.DoesNotContain("{{", await ExplainAsync(agentType, "Heap", connected: ["Priority queue"]));
        Assert.DoesNotContain("{{", await ExplainAsync(agentType, "堆"));
    }

    [Fact]
    public async Task Note_text_with_placeholder_syntax_is_copied_verbatim()
    {
        var markdown = await ExplainAsync(AgentTypes.OralExplanation, "What is {{term}}?");

        Assert.Contains("**{{term}}** is", markdown);
    }

    [Theory]
    [MemberData(nameof(AllAgentTypes))]
    public async Task Front_matter_marks_the_file_as_generated_offline(string agentType)
    {
        var markdown = await ExplainAsync(agentType, "Heap", canvas: "Data \"structures\"");
        var lines = markdown.Split('\n');

        Assert.Equal("---", lines[0]);
        Assert.Equal("generated_by: canvas-learning offline agent", lines[1]);
        var frontMatter = lines[1..Array.IndexOf(lines, "---", 1)];
        Assert.Contains($"agent_type: {agentType}", frontMatter);
        Assert.Contains("source_node: \"node-1\"", frontMatter);
        Assert.Contains("canvas: \"Data \\\"structures\\\"\"", frontMatter);
        Assert.DoesNotContain(frontMatter, l => l.StartsWith("generated_at", StringComparison.Ordinal));
    }

    [Fact]
    public async Task First_line_after_front_matter_is_the_offline_callout_naming_the_setting()
    {
        var body = Body(await ExplainAsync(AgentTypes.MemoryAnchor, "Heap"));

        Assert.StartsWith("> [!note] Generated offline\n> ", body);
        Assert.Contains("`Agents:Provider` to `openai`", body);
    }

    [Fact]
    public async Task Chinese_note_gets_Chinese_callout_and_headings()
    {
        var markdown = await ExplainAsync(AgentTypes.OralExplanation, "什么是充分条件？", group: ["必要条件"]);

        Assert.StartsWith("> [!note] 离线生成\n", Body(markdown));
        Assert.Contains("`Agents:Provider` 为 `openai`", markdown);
        Assert.Contains("## 一句话定义", markdown);
        Assert.Contains("## 相关概念", markdown);
        Assert.DoesNotContain("## One-sentence definition", markdown);
        Assert.DoesNotContain("Related concepts", markdown);
    }

    [Fact]
    public async Task English_note_gets_English_headings()
    {
        var markdown = await ExplainAsync(AgentTypes.OralExplanation, "What is a spanning tree?", group: ["Minimum spanning tree"]);

        Assert.Contains("## One-sentence definition", markdown);
        Assert.Contains("## Related concepts", markdown);
        Assert.DoesNotContain("## 一句话定义", markdown);
        Assert.DoesNotContain("离线生成", markdown);
    }

    [Theory]
    [InlineData("什么是充分条件", "**充分条件** 是")]
    [InlineData("充分条件是什么？", "**充分条件** 是")]
    [InlineData("What is a spanning tree?", "**spanning tree** is")]
    [InlineData("define entropy", "**entropy** is")]
    public async Task Oral_explanation_defines_the_term_asked_about(string text, string definition)
    {
        var markdown = await ExplainAsync(AgentTypes.OralExplanation, text);

        Assert.Contains(definition, markdown);
    }

    [Fact]
    public async Task Same_request_twice_gives_identical_markdown()
    {
        var first = await ExplainAsync(AgentTypes.ComparisonTable, "BFS vs DFS", ["Graph"], ["Queue"]);
        var second = await ExplainAsync(AgentTypes.ComparisonTable, "BFS vs DFS", ["Graph"], ["Queue"]);

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task Related_concepts_are_deduplicated_and_skip_the_node_itself()
    {
        var markdown = await ExplainAsync(
            AgentTypes.FourLevelExplanation, "Heap", group: ["Heap", "Binary tree", "binary tree"], connected: ["Priority\nqueue", ""]);
        var related = markdown[markdown.IndexOf("## Related concepts", StringComparison.Ordinal)..].Split('\n');

        Assert.Equal(["- Priority queue", "- Binary tree"], related.Where(l => l.StartsWith("- ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task No_related_section_without_neighbours()
    {
        Assert.DoesNotContain("## Related concepts", await ExplainAsync(AgentTypes.BasicDecomposition, "Heap"));
    }

    [Theory]
    [InlineData("", "notes", "# Untitled concept")]
    [InlineData("   \n ", "notes", "# Untitled concept")]
    [InlineData(" ", "数学笔记", "# 未命名概念")]
    public async Task Empty_note_still_gets_a_titled_scaffold(string text, string canvas, string heading)
    {
        var markdown = await ExplainAsync(AgentTypes.ExampleTeaching, text, canvas: canvas);

        Assert.Contains("\n" + heading + "\n", markdown);
    }

    [Theory]
    [InlineData("Dijkstra", "zh")]
    [InlineData("O(n log n)", "zh")]
    [InlineData("![[heap.png]] 堆", "zh")]
    [InlineData("What is a binary heap?", "en")]
    [InlineData("Dijkstra 算法", "zh")]
    public void A_node_s_language_follows_its_own_text_else_its_group_s(string text, string expected)
    {
        var request = new AgentRequest(AgentTypes.OralExplanation, "n1", text, ["什么是最短路径？", "图的遍历", "BFS"], [], "notes");

        Assert.Equal(expected, CanvasLearning.Agents.Offline.OfflineScaffold.LanguageOf(request).Code);
    }

    [Fact]
    public async Task A_note_longer_than_its_title_is_quoted()
    {
        var markdown = await ExplainAsync(AgentTypes.DeepDecomposition, "# Heap\nA tree where parents beat children.");

        Assert.Contains("# Heap\n", markdown);
        Assert.Contains("> [!quote] Your note\n> # Heap\n> A tree where parents beat children.\n", markdown);
    }

    [Fact]
    public async Task Result_names_the_offline_model_and_spends_no_tokens()
    {
        var result = await new OfflineAgentProvider().ExplainAsync(Request(AgentTypes.MemoryAnchor, "Heap"));

        Assert.Equal("offline-v1", result.Model);
        Assert.Equal(0, result.TokensIn);
        Assert.Equal(0, result.TokensOut);
    }

    [Fact]
    public async Task Unknown_agent_type_is_a_bad_request()
    {
        var error = await Assert.ThrowsAsync<AgentException>(
            () => new OfflineAgentProvider().ExplainAsync(Request("poetry", "Heap")));

        Assert.Equal("bad_request", error.ErrorType);
        Assert.False(error.Transient);
        Assert.Contains("'poetry'", error.Message);
        Assert.Contains(AgentTypes.FourLevelExplanation, error.Message);
    }

    [Fact]
    public async Task Cancelled_token_cancels_the_call()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        var task = new OfflineAgentProvider().ExplainAsync(Request(AgentTypes.MemoryAnchor, "Heap"), cts.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        Assert.True(task.IsCanceled);
    }

    [Fact]
    public void Completes_without_waiting() =>
        Assert.True(new OfflineAgentProvider().ExplainAsync(Request(AgentTypes.OralExplanation, "Heap")).IsCompletedSuccessfully);
}
