using System.Text;

namespace CanvasLearning.Agents.Offline;

/// <summary>The comparison grid: one row per aspect, one column per compared item.</summary>
internal static class ComparisonTable
{
    private const string Item = "{item}";

    private static readonly (string Aspect, string Prompt)[] EnglishRows =
    [
        ("Definition", "What is {item}, in one sentence?"),
        ("Key features", "Which properties does {item} always have?"),
        ("When to use", "When is {item} the right choice?"),
        ("Common pitfalls", "What do people get wrong about {item}?"),
        ("Example", "One concrete example of {item}"),
    ];

    private static readonly (string Aspect, string Prompt)[] ChineseRows =
    [
        ("定义", "用一句话说明{item}是什么"),
        ("关键特征", "{item}一定具备哪些性质？"),
        ("适用场景", "什么情况下该用{item}？"),
        ("常见误区", "关于{item}，人们常弄错什么？"),
        ("例子", "举一个{item}的具体例子"),
    ];

    public static string Render(IReadOnlyList<string> items, OfflinePhrases phrases)
    {
        var rows = phrases.IsChinese ? ChineseRows : EnglishRows;
        var table = new StringBuilder();
        AppendRow(table, [phrases.IsChinese ? "维度" : "Aspect", .. items]);
        AppendRow(table, [.. Enumerable.Repeat("---", items.Count + 1)]);
        foreach (var (aspect, prompt) in rows)
        {
            // The aspect is bold; an item name is escaped before it goes into the prompt.
            AppendRow(table, ["**" + aspect + "**", .. items.Select(i => prompt.Replace(Item, Spaced(i, phrases), StringComparison.Ordinal))]);
        }

        return table.ToString().TrimEnd('\n');
    }

    private static void AppendRow(StringBuilder table, IEnumerable<string> cells) =>
        table.Append("| ").AppendJoin(" | ", cells.Select(MarkdownText.TableCell)).Append(" |\n");

    // Chinese prompts run into the item name; a Latin name reads better with spaces around it.
    private static string Spaced(string item, OfflinePhrases phrases) =>
        phrases.IsChinese && !ConceptText.ContainsCjk(item) ? " " + item + " " : item;
}
