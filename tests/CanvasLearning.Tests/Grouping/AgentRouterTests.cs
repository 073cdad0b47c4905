using CanvasLearning.Agents;
using CanvasLearning.Grouping;

namespace CanvasLearning.Tests.Grouping;

public sealed class AgentRouterTests
{
    [Theory]
    [InlineData("BFS vs DFS", AgentTypes.ComparisonTable)]
    [InlineData("quicksort vs. mergesort", AgentTypes.ComparisonTable)]
    [InlineData("Prim versus Kruskal", AgentTypes.ComparisonTable)]
    [InlineData("the difference between union and intersection", AgentTypes.ComparisonTable)]
    [InlineData("compare heap and stack", AgentTypes.ComparisonTable)]
    [InlineData("逆否命题与否命题的区别", AgentTypes.ComparisonTable)]
    [InlineData("快速排序vs归并排序", AgentTypes.ComparisonTable)]
    [InlineData("邻接矩阵和邻接表对比", AgentTypes.ComparisonTable)]
    [InlineData("子集和真子集的异同", AgentTypes.ComparisonTable)]
    [InlineData("What is a spanning tree?", AgentTypes.OralExplanation)]
    [InlineData("what are bipartite graphs", AgentTypes.OralExplanation)]
    [InlineData("Define a power set", AgentTypes.OralExplanation)]
    [InlineData("什么是充分条件", AgentTypes.OralExplanation)]
    [InlineData("充要条件的定义", AgentTypes.OralExplanation)]
    [InlineData("稳定排序是什么", AgentTypes.OralExplanation)]
    [InlineData("How can I remember the sorting complexities?", AgentTypes.MemoryAnchor)]
    [InlineData("a mnemonic for De Morgan", AgentTypes.MemoryAnchor)]
    [InlineData("复杂度口诀", AgentTypes.MemoryAnchor)]
    [InlineData("怎么记住德摩根律", AgentTypes.MemoryAnchor)]
    [InlineData("An example of Dijkstra", AgentTypes.ExampleTeaching)]
    [InlineData("How to apply Bayes", AgentTypes.ExampleTeaching)]
    [InlineData("贝叶斯公式怎么用", AgentTypes.ExampleTeaching)]
    [InlineData("笛卡尔积举例", AgentTypes.ExampleTeaching)]
    [InlineData("I'm confused by vacuous truth", AgentTypes.ClarificationPath)]
    [InlineData("Why does Dijkstra fail with negative weights", AgentTypes.ClarificationPath)]
    [InlineData("I don’t understand the empty set", AgentTypes.ClarificationPath)]
    [InlineData("为什么原命题与逆否命题等价", AgentTypes.ClarificationPath)]
    [InlineData("总是混淆互斥和独立", AgentTypes.ClarificationPath)]
    [InlineData("How does quicksort partition?", AgentTypes.DeepDecomposition)]
    [InlineData("Prove that the power set has 2^n elements", AgentTypes.DeepDecomposition)]
    [InlineData("全概率公式的推导", AgentTypes.DeepDecomposition)]
    [InlineData("哈希表的原理", AgentTypes.DeepDecomposition)]
    [InlineData("Heapsort", AgentTypes.FourLevelExplanation)]
    [InlineData("函数的定义域和值域", AgentTypes.FourLevelExplanation)]
    [InlineData("anywhy, redefine nothing", AgentTypes.FourLevelExplanation)]
    public void A_single_note_is_routed_by_its_phrasing(string text, string expectedAgent) =>
        Assert.Equal(expectedAgent, AgentRouter.Recommend([text]).AgentType);

    [Fact]
    public void Confidence_grows_with_the_share_of_matching_notes()
    {
        var recommendation = AgentRouter.Recommend(["BFS vs DFS", "Prim 和 Kruskal 的区别", "什么是二分图", "欧拉回路"]);

        Assert.Equal(AgentTypes.ComparisonTable, recommendation.AgentType);
        Assert.Equal(0.75, recommendation.Confidence);
        Assert.Equal(1.0, AgentRouter.Recommend(["A vs B"]).Confidence);
        Assert.Equal(0.67, AgentRouter.Recommend(["A vs B", "C", "D"]).Confidence);
    }

    [Fact]
    public void An_equal_share_goes_to_the_rule_listed_first() =>
        Assert.Equal(AgentTypes.ComparisonTable, AgentRouter.Recommend(["什么是集合", "交集和并集的区别"]).AgentType);

    [Fact]
    public void No_match_falls_back_to_four_level_explanation_at_0_4()
    {
        var recommendation = AgentRouter.Recommend(["堆排序", "哈密顿回路"]);

        Assert.Equal(new AgentRecommendation(AgentTypes.FourLevelExplanation, 0.4), recommendation);
    }

    [Fact]
    public void Every_agent_has_its_own_emoji() =>
        Assert.Equal(AgentTypes.All.Count, AgentTypes.All.Select(AgentRouter.EmojiFor).Distinct().Count());
}
