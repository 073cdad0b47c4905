using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CanvasLearning.Canvas;

namespace CanvasLearning.Tests.Canvas;

/// <summary>The canvas after a write differs from the file before only by our added lines, in the file's own style.</summary>
public sealed partial class MinimalDiffTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly CanvasWriteBack _writeBack = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(CanvasStyle.Obsidian)]
    [InlineData(CanvasStyle.ObsidianCrlfBom)]
    [InlineData(CanvasStyle.Pretty2)]
    [InlineData(CanvasStyle.SortedKeys)]
    public async Task A_write_only_adds_lines_and_keeps_every_other_byte(CanvasStyle style)
    {
        var (text, marked) = RealLikeCanvas.StudyMap(style);
        var path = _temp.Write("maps/study.canvas", text);
        var before = await File.ReadAllBytesAsync(path);

        await _writeBack.AddExplanationsAsync(path, marked.Take(3).Select(Placement).ToList());

        var after = await File.ReadAllBytesAsync(path);
        Assert.Equal(before.AsSpan(0, 3).SequenceEqual("\uFEFF"u8), after.AsSpan(0, 3).SequenceEqual("\uFEFF"u8));
        var added = CanvasDiffAssert.OnlyAddedLines(Utf8(before), Utf8(after));
        Assert.NotEmpty(added);
        var ending = style == CanvasStyle.ObsidianCrlfBom ? "\r\n" : "\n";
        Assert.All(added, line => Assert.True(line.EndsWith(ending, StringComparison.Ordinal) && !line[..^ending.Length].Contains('\r', StringComparison.Ordinal),
            $"line ending of {line}"));
        Assert.DoesNotContain(added, line => line.Contains("\\u", StringComparison.Ordinal));
        Assert.Equal(before[^1] == '\n', after[^1] == '\n');
        Assert.Equal(3, CanvasDocument.Parse(after).Nodes.Count - CanvasDocument.Parse(before).Nodes.Count);
    }

    [Theory]
    [InlineData(CanvasStyle.Obsidian)]
    [InlineData(CanvasStyle.ObsidianCrlfBom)]
    public async Task Obsidian_files_get_one_tab_indented_object_per_line(CanvasStyle style)
    {
        var (text, marked) = RealLikeCanvas.StudyMap(style);
        var path = _temp.Write("study.canvas", text);
        var before = await File.ReadAllTextAsync(path);

        await _writeBack.AddExplanationsAsync(path, [Placement(marked[0]) with { FileVaultPath = "study-explanations/oral-explanation - 📦 什么是命题.md" }]);

        var added = CanvasDiffAssert.OnlyAddedLines(before, await File.ReadAllTextAsync(path));
        Assert.Equal(2, added.Count);
        Assert.Matches(ObsidianNodeLine(), added[0]);
        Assert.Contains("\"file\":\"study-explanations/oral-explanation - 📦 什么是命题.md\"", added[0], StringComparison.Ordinal);
        Assert.Matches(ObsidianEdgeLine(), added[1]);
    }

    [Fact]
    public async Task Pretty_printed_files_get_pretty_printed_objects_with_the_same_indent()
    {
        var (text, marked) = RealLikeCanvas.StudyMap(CanvasStyle.Pretty2);
        var path = _temp.Write("study.canvas", text);

        await _writeBack.AddExplanationsAsync(path, [Placement(marked[0])]);

        var added = CanvasDiffAssert.OnlyAddedLines(text, await File.ReadAllTextAsync(path));
        Assert.Equal("    {\n", added[0]);
        Assert.Matches("^      \"id\": \"[0-9a-z-]+\",\n$", added[1]);
        Assert.Equal("      \"type\": \"file\",\n", added[2]);
        Assert.Contains("    }\n", added);
        Assert.DoesNotContain(added, line => line.Contains('\t', StringComparison.Ordinal));
    }

    [Fact]
    public async Task Files_with_sorted_keys_get_objects_with_sorted_keys()
    {
        var (text, marked) = RealLikeCanvas.StudyMap(CanvasStyle.SortedKeys);
        var path = _temp.Write("study.canvas", text);

        await _writeBack.AddExplanationsAsync(path, [Placement(marked[0])]);

        var added = CanvasDiffAssert.OnlyAddedLines(text, await File.ReadAllTextAsync(path));
        var keys = added.Select(l => Regex.Match(l, "^\\s*\"(\\w+)\":").Groups[1].Value).Where(k => k.Length > 0).ToList();

        // The edges come first: "edges" sorts before "nodes".
        Assert.Equal(["fromNode", "fromSide", "id", "label", "toNode", "toSide", "file", "height", "id", "type", "width", "x", "y"], keys);
    }

    [Fact]
    public async Task A_minified_file_stays_on_one_line()
    {
        var (text, marked) = RealLikeCanvas.StudyMap(CanvasStyle.Minified);
        var path = _temp.Write("study.canvas", text);

        await _writeBack.AddExplanationsAsync(path, marked.Take(2).Select(Placement).ToList());

        var after = await File.ReadAllTextAsync(path);
        Assert.DoesNotContain('\n', after);
        Assert.Equal(4, CanvasDiffAssert.OnlyAddedObjects(text, after).Count);
    }

    [Fact]
    public async Task An_empty_edges_array_is_filled_in_the_layout_of_the_nodes()
    {
        const string text = "{\n\t\"nodes\":[\n\t\t{\"id\":\"a\",\"type\":\"text\",\"text\":\"什么是集合\",\"x\":0,\"y\":0,\"width\":250,\"height\":60,\"color\":\"3\"}\n\t],\n\t\"edges\":[]\n}";
        var path = _temp.Write("study.canvas", text);

        await _writeBack.AddExplanationsAsync(path, [Placement("a")]);

        var lines = (await File.ReadAllTextAsync(path)).Split('\n');
        Assert.Equal(9, lines.Length);
        Assert.Equal(text.Split('\n')[..2], lines[..2]);
        Assert.Equal(text.Split('\n')[2] + ",", lines[2]);
        Assert.Matches(ObsidianNodeLine(), lines[3] + "\n");
        Assert.Equal(["\t],", "\t\"edges\":["], lines[4..6]);
        Assert.Matches(ObsidianEdgeLine(), lines[6] + "\n");
        Assert.Equal(["\t]", "}"], lines[7..]);
    }

    [Fact]
    public async Task Odd_numbers_escapes_and_unknown_fields_keep_their_exact_text()
    {
        const string text = """
            {"nodes":[
            	{"id":"a","type":"text","text":"A \u0026 B \"quoted\" 😀","x":1e2,"y":-0.0,"width":250.50,"height":60,"color":"3","x-extra":{"deep":[1,2,{"k":null}]}}
            ],"edges":[],"meta":{"v":1.0}}

            """;
        var path = _temp.Write("study.canvas", text);

        await _writeBack.AddExplanationsAsync(path, [Placement("a")]);

        var after = await File.ReadAllTextAsync(path);
        Assert.Contains("""{"id":"a","type":"text","text":"A \u0026 B \"quoted\" 😀","x":1e2,"y":-0.0,"width":250.50,"height":60,"color":"3","x-extra":{"deep":[1,2,{"k":null}]}}""", after, StringComparison.Ordinal);
        Assert.EndsWith("\"meta\":{\"v\":1.0}}\n", after, StringComparison.Ordinal);
        Assert.Equal(2, CanvasDocument.Parse(after).Nodes.Count);
    }

    [Fact]
    public async Task A_file_without_an_edges_array_is_rewritten_whole_and_correct()
    {
        const string text = "{\r\n  \"nodes\": [\r\n    {\"id\": \"a\", \"type\": \"text\", \"text\": \"📦 集合\", \"x\": 0, \"y\": 0, \"width\": 250, \"height\": 60, \"custom\": 1.50}\r\n  ]\r\n}\r\n";
        var path = _temp.Write("study.canvas", text);

        await _writeBack.AddExplanationsAsync(path, [Placement("a")]);

        var after = await File.ReadAllTextAsync(path);
        var root = JsonNode.Parse(after)!;
        Assert.Equal(2, root["nodes"]!.AsArray().Count);
        Assert.Single(root["edges"]!.AsArray());
        Assert.Contains("\"custom\": 1.50", after, StringComparison.Ordinal);
        Assert.Contains("📦 集合", after, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", after.Replace("\r\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.StartsWith("{\r\n  \"nodes\": [", after, StringComparison.Ordinal);
        Assert.EndsWith("}\r\n", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_write_of_the_same_explanations_leaves_the_file_byte_identical()
    {
        var (text, marked) = RealLikeCanvas.StudyMap(CanvasStyle.ObsidianCrlfBom);
        var path = _temp.Write("study.canvas", text);
        await _writeBack.AddExplanationsAsync(path, marked.Select(Placement).ToList());
        var first = await File.ReadAllBytesAsync(path);
        var rewrites = _writeBack.Rewrites;

        // Another session's ids, the same files: the concept is already explained.
        var added = await _writeBack.AddExplanationsAsync(path, marked.Select(id => Placement(id) with { FileNodeId = "x" + id, EdgeId = "y" + id }).ToList());

        Assert.Equal(0, added);
        Assert.Equal(first, await File.ReadAllBytesAsync(path));
        Assert.Equal(rewrites, _writeBack.Rewrites);
    }

    [Fact]
    public void A_document_nothing_was_added_to_gives_back_the_bytes_it_was_read_from()
    {
        var (text, _) = RealLikeCanvas.StudyMap(CanvasStyle.ObsidianCrlfBom);
        var bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text);

        Assert.Equal(bytes, CanvasDocument.Parse(bytes).ToUtf8());
    }

    private static ExplanationPlacement Placement(string nodeId) =>
        new(nodeId, ExplanationFiles.StableId("t", nodeId, "file"), ExplanationFiles.StableId("t", nodeId, "edge"), $"study-explanations/oral-explanation - {nodeId}.md", "oral-explanation");

    private static string Utf8(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    [GeneratedRegex("""^\t\t\{"id":"[0-9a-f]{16}","type":"file","file":"[^"]+","x":-?\d+,"y":-?\d+,"width":400,"height":300\},?\r?\n$""")]
    private static partial Regex ObsidianNodeLine();

    [GeneratedRegex("""^\t\t\{"id":"[0-9a-f]{16}","fromNode":"[^"]+","fromSide":"(right|bottom|left|top)","toNode":"[0-9a-f]{16}","toSide":"(left|top|right|bottom)","label":"oral-explanation"\},?\r?\n$""")]
    private static partial Regex ObsidianEdgeLine();
}
