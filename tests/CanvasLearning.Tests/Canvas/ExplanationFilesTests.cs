using System.Globalization;
using CanvasLearning.Canvas;

namespace CanvasLearning.Tests.Canvas;

public sealed class ExplanationFilesTests
{
    [Fact]
    public void DirectoryFor_sits_beside_the_canvas()
    {
        var canvas = Path.Combine(Path.GetTempPath(), "vault", "notes", "math.canvas");

        Assert.Equal(Path.Combine(Path.GetTempPath(), "vault", "notes", "math-explanations"), ExplanationFiles.DirectoryFor(canvas));
    }

    [Fact]
    public void Name_is_agent_type_and_first_line_of_the_text()
    {
        var name = ExplanationFiles.PlanUnique("oral-explanation", "\n\n  # What is a *contrapositive*?  \nmore text", new HashSet<string>());

        Assert.Equal("oral-explanation - What is a contrapositive.md", name);
    }

    [Theory]
    [InlineData("a/b\\c:d*e?f\"g<h>i|j", "a b c d e f g h i j")]
    [InlineData("> `code` and [link](http://x/y) and [[Note|alias]]", "code and link and alias")]
    [InlineData("- [ ] task item", "task item")]
    [InlineData("1. first point...", "first point")]
    [InlineData("tab\there\u0001bell", "tab here bell")]
    [InlineData("../../etc/passwd", "etc passwd")]
    [InlineData("![[diagram.png]]\n什么是**拓扑排序**？", "什么是拓扑排序？")]
    [InlineData("![[diagram.png]] Dijkstra vs ![alt](x.png) Bellman-Ford", "Dijkstra vs Bellman-Ford")]
    [InlineData("see [the notes](https://example.org/very/long/path", "see the notes")]
    [InlineData("see [[图论基础|图论", "see 图论")]
    [InlineData("read https://example.org/a?b=c first<br>then", "read first then")]
    [InlineData("# **Merge sort** <span style=\"color:red\">stable</span>?", "Merge sort stable")]
    public void Path_and_markup_characters_are_stripped(string text, string title) =>
        Assert.Equal($"memory-anchor - {title}.md", ExplanationFiles.PlanUnique("memory-anchor", text, new HashSet<string>()));

    [Theory]
    [InlineData("")]
    [InlineData("   \n\t\n")]
    [InlineData("### ***")]
    [InlineData("...")]
    public void Empty_text_falls_back_to_untitled(string text) =>
        Assert.Equal("example-teaching - untitled.md", ExplanationFiles.PlanUnique("example-teaching", text, new HashSet<string>()));

    [Fact]
    public void A_long_English_title_is_cut_between_words()
    {
        const string text = "Why does the merging step of mergesort keep equal keys in their original relative order";

        var title = ExplanationFiles.Title(text);

        Assert.StartsWith(title, text, StringComparison.Ordinal);
        Assert.InRange(title.Length, 40, 60);
        Assert.Equal(' ', text[title.Length]);
    }

    [Fact]
    public void Chinese_text_is_kept()
    {
        var name = ExplanationFiles.PlanUnique("comparison-table", "逆否命题与否命题的区别", new HashSet<string>());

        Assert.Equal("comparison-table - 逆否命题与否命题的区别.md", name);
    }

    [Fact]
    public void Long_titles_are_cut_to_60_characters_without_splitting_surrogate_pairs()
    {
        var ascii = ExplanationFiles.PlanUnique("x", new string('a', 200), new HashSet<string>());
        var emoji = ExplanationFiles.PlanUnique("x", string.Concat(Enumerable.Repeat("😀", 100)), new HashSet<string>());

        Assert.Equal($"x - {new string('a', 60)}.md", ascii);
        var title = emoji["x - ".Length..^".md".Length];
        Assert.True(new StringInfo(title).LengthInTextElements <= 60);
        Assert.True(title.Length % 2 == 0 && title.All(char.IsSurrogate));
        Assert.True(char.IsHighSurrogate(title[0]) && char.IsLowSurrogate(title[^1]));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Names_are_made_unique_case_insensitively_and_recorded(bool ignoreCaseSet)
    {
        // An ordinal set is copied for the check; a case-insensitive one (what a confirm passes) is used as it is.
        var taken = new HashSet<string>(ignoreCaseSet ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal) { "DEEP-DECOMPOSITION - Sets.md" };

        var second = ExplanationFiles.PlanUnique("deep-decomposition", "Sets", taken);
        var third = ExplanationFiles.PlanUnique("deep-decomposition", "sets", taken);

        Assert.Equal("deep-decomposition - Sets (2).md", second);
        Assert.Equal("deep-decomposition - sets (3).md", third);
        Assert.Contains(second, taken);
        Assert.Contains(third, taken);
    }

    [Fact]
    public void Windows_reserved_names_are_avoided()
    {
        var name = ExplanationFiles.PlanUnique("", "CON", new HashSet<string>());

        Assert.Equal("_CON.md", name);
    }

    [Fact]
    public void StableId_is_16_lowercase_hex_and_stable()
    {
        var id = ExplanationFiles.StableId("session", "node-1", "file");

        Assert.Matches("^[0-9a-f]{16}$", id);
        Assert.Equal(id, ExplanationFiles.StableId("session", "node-1", "file"));
        Assert.NotEqual(id, ExplanationFiles.StableId("session", "node-1", "edge"));
        Assert.NotEqual(ExplanationFiles.StableId("a b", "c"), ExplanationFiles.StableId("a", "b c"));
    }
}
