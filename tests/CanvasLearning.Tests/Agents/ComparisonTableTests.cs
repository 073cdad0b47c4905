using CanvasLearning.Agents;
using CanvasLearning.Agents.Offline;
using static CanvasLearning.Tests.Agents.OfflineRequests;

namespace CanvasLearning.Tests.Agents;

public sealed class ComparisonTableTests
{
    [Theory]
    [InlineData("逆否命题 vs 否命题", "维度|逆否命题|否命题")]
    [InlineData("BFS vs DFS", "Aspect|BFS|DFS")]
    [InlineData("快速排序和归并排序的区别", "维度|快速排序|归并排序")]
    public async Task Comparison_table_has_a_column_per_compared_item(string text, string header)
    {
        var rows = TableRows(await ExplainAsync(AgentTypes.ComparisonTable, text));

        Assert.Equal(header.Split('|'), Cells(rows[0]));
        Assert.Equal(7, rows.Length);
        Assert.All(rows, row => Assert.Equal(3, Cells(row).Count));
    }

    [Theory]
    [InlineData("逆否命题 vs 否命题", "逆否命题|否命题")]
    [InlineData("逆否命题vs否命题", "逆否命题|否命题")]
    [InlineData("BFS vs. DFS", "BFS|DFS")]
    [InlineData("Prim versus Kruskal versus Borůvka", "Prim|Kruskal|Borůvka")]
    [InlineData("快速排序和归并排序的区别", "快速排序|归并排序")]
    [InlineData("逆否命题与否命题的区别？", "逆否命题|否命题")]
    [InlineData("对比充分条件和必要条件", "充分条件|必要条件")]
    [InlineData("充分条件 与 必要条件 对比", "充分条件|必要条件")]
    [InlineData("栈、队列和堆有什么区别", "栈|队列|堆")]
    [InlineData("参与者和旁观者的区别", "参与者|旁观者")]
    [InlineData("饱和与不饱和的区别", "饱和|不饱和")]
    [InlineData("What is the difference between a stack and a queue?", "a stack|a queue")]
    [InlineData("Compare TCP with UDP", "TCP|UDP")]
    [InlineData(".NET vs. Java?", ".NET|Java")]
    [InlineData("“A*” vs Dijkstra", "A*|Dijkstra")]
    public void Compared_items_are_extracted_from_common_phrasings(string title, string expected) =>
        Assert.Equal(expected.Split('|'), ComparisonItems.Extract(title));

    [Theory]
    [InlineData("快速排序")]
    [InlineData("这两个定理的区别")]
    [InlineData("Canvas layouts")]
    public void Titles_that_compare_nothing_yield_no_items(string title) =>
        Assert.Empty(ComparisonItems.Extract(title));

    [Fact]
    public async Task Without_a_comparison_the_node_is_compared_with_its_nearest_neighbour()
    {
        var rows = TableRows(await ExplainAsync(AgentTypes.ComparisonTable, "逆否命题", group: ["逆命题"], connected: ["原命题"]));

        Assert.Equal(["维度", "逆否命题", "原命题"], Cells(rows[0]));
    }

    [Fact]
    public async Task Without_neighbours_the_second_column_is_a_related_concept_to_fill_in()
    {
        var rows = TableRows(await ExplainAsync(AgentTypes.ComparisonTable, "Heap"));

        Assert.Equal(["Aspect", "Heap", "Related concept"], Cells(rows[0]));
    }

    [Theory]
    [InlineData("a|b vs c|d")]
    [InlineData(@"x\|y vs z\\|w")]
    [InlineData("| leading vs trailing |")]
    public async Task Pipes_in_the_note_do_not_break_the_table(string text)
    {
        var rows = TableRows(await ExplainAsync(AgentTypes.ComparisonTable, text));

        Assert.Equal(7, rows.Length);
        Assert.All(rows, row => Assert.Equal(3, Cells(row).Count));
    }

    [Theory]
    [InlineData("逆否命题 vs 否命题", "## 对比：逆否命题和否命题")]
    [InlineData("栈、队列和堆的区别", "## 对比：栈、队列和堆")]
    [InlineData("BFS 和 DFS 的区别", "## 对比：BFS 和 DFS")]
    [InlineData("BFS vs DFS vs A*", "## Comparison: BFS, DFS and A*")]
    public async Task Compared_items_are_named_together_in_the_learners_language(string text, string heading) =>
        Assert.Contains(heading + "\n", await ExplainAsync(AgentTypes.ComparisonTable, text));

    [Fact]
    public void Table_cells_escape_pipes_and_flatten_newlines()
    {
        Assert.Equal(@"a\|b c", MarkdownText.TableCell("a|b\nc"));
        Assert.Equal(@"a\\\|b", MarkdownText.TableCell(@"a\|b"));
    }
}
