using System.Text;
using CanvasLearning.Canvas;

namespace CanvasLearning.Tests.Canvas;

/// <summary>
/// The writer keeps the document of what it wrote instead of parsing the file again: that document
/// must be the one a parse of the written bytes gives, or the next write would edit the wrong bytes.
/// </summary>
public sealed class SuccessorTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string> Canvases()
    {
        var data = new TheoryData<string>();
        foreach (var style in Enum.GetValues<CanvasStyle>())
        {
            data.Add(RealLikeCanvas.StudyMap(style, columns: 2, rows: 6).Text);
        }

        // Comments and trailing commas, a non-object in edges, an edge without ends, a property after the arrays, emoji.
        data.Add("{\n\t\"nodes\":[\n\t\t{\"id\":\"a\",\"type\":\"text\",\"text\":\"📦 命题\",\"x\":0,\"y\":0,\"width\":250,\"height\":60}, // first\n\t\t{\"id\":\"b\",\"type\":\"text\",\"text\":\"b\",\"x\":0,\"y\":100,\"width\":250,\"height\":60},\n\t],\n" +
                 "\t\"edges\":[\n\t\t7,\n\t\t{\"id\":\"e\",\"fromNode\":\"a\",\"toNode\":\"b\"},\n\t\t{\"id\":\"loose\"}\n\t],\n\t\"zeta\":{\"x\":[1,2]}\n}\n");
        return data;
    }

    [Theory]
    [MemberData(nameof(Canvases))]
    public void The_document_of_a_write_is_what_a_parse_of_its_bytes_gives(string text)
    {
        var document = CanvasDocument.Parse(Encoding.UTF8.GetBytes(text));
        for (var round = 0; round < 3; round++)
        {
            var source = document.Nodes[round];
            document.AddNode(new CanvasNode($"f{round}", CanvasNodeTypes.File, 2000 + (round * 500), 0, 400, 300, File: $"x/{round} 命题.md"));
            document.AddNode(new CanvasNode($"g{round}", CanvasNodeTypes.File, 2000 + (round * 500), 400, 400, 300, File: $"x/{round}b.md"));
            document.AddEdge(new CanvasEdge($"e{round}", source.Id, $"f{round}", "right", "left", "oral-explanation"));

            var bytes = document.ToUtf8();
            var successor = document.Successor();
            Assert.NotNull(successor);
            AssertSameMap(CanvasDocument.Parse(bytes), successor);
            Assert.Equal(bytes, successor.ToUtf8());

            // The next round edits a fork of it, as the writer does.
            document = successor.Fork();
        }
    }

    [Fact]
    public void A_document_changed_after_its_bytes_were_taken_has_no_successor()
    {
        var document = CanvasDocument.Parse(Encoding.UTF8.GetBytes(RealLikeCanvas.StudyMap(CanvasStyle.Obsidian, 1, 4).Text));
        document.AddNode(new CanvasNode("f", CanvasNodeTypes.File, 0, 900, 400, 300, File: "x/f.md"));
        _ = document.ToUtf8();
        document.AddNode(new CanvasNode("g", CanvasNodeTypes.File, 0, 1300, 400, 300, File: "x/g.md"));

        Assert.Null(document.Successor());
    }

    [Fact]
    public void Filling_an_empty_array_leaves_the_next_write_to_parse()
    {
        var document = CanvasDocument.Parse("{\n\t\"nodes\":[\n\t\t{\"id\":\"a\",\"type\":\"text\",\"text\":\"a\",\"x\":0,\"y\":0,\"width\":250,\"height\":60}\n\t],\n\t\"edges\":[]\n}");
        document.AddNode(new CanvasNode("f", CanvasNodeTypes.File, 400, 0, 400, 300, File: "x/f.md"));
        document.AddEdge(new CanvasEdge("e", "a", "f", "right", "left"));
        _ = document.ToUtf8();

        Assert.Null(document.Successor());
    }

    [Theory]
    [InlineData(CanvasStyle.Obsidian)]
    [InlineData(CanvasStyle.ObsidianCrlfBom)]
    [InlineData(CanvasStyle.Pretty2)]
    [InlineData(CanvasStyle.Minified)]
    public async Task Batches_written_from_the_kept_document_give_the_bytes_of_batches_parsed_afresh(CanvasStyle style)
    {
        var (text, marked) = RealLikeCanvas.StudyMap(style);
        var withCache = _temp.Write("a/study.canvas", text);
        var without = _temp.Write("b/study.canvas", text);
        var (kept, parsing) = (new CanvasWriteBack(new CanvasCache()), new CanvasWriteBack());

        foreach (var batch in marked.Chunk(3))
        {
            var placements = batch.Select(Placement).ToList();
            Assert.Equal(batch.Length, await kept.AddExplanationsAsync(withCache, placements));
            Assert.Equal(batch.Length, await parsing.AddExplanationsAsync(without, placements));
            Assert.Equal(await File.ReadAllBytesAsync(without), await File.ReadAllBytesAsync(withCache));
        }

        // A learner's edit between two batches is read, not overwritten by the kept document.
        var edited = (await File.ReadAllTextAsync(withCache)).Replace("\"x\":", "\"x\": ", StringComparison.Ordinal);
        await File.WriteAllTextAsync(withCache, edited);
        Assert.Equal(0, await kept.AddExplanationsAsync(withCache, [Placement(marked[0])]));
        Assert.Equal(edited, await File.ReadAllTextAsync(withCache));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Batches_one_writer_takes_in_a_row_go_on_from_what_it_wrote_and_still_see_an_edit_in_between(bool learnerEdits)
    {
        var (text, marked) = RealLikeCanvas.StudyMap(CanvasStyle.Obsidian);
        var path = Path.GetFullPath(_temp.Write("a/study.canvas", text));
        var expected = _temp.Write("b/study.canvas", text);
        var writer = new CanvasWriteBack();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var batches = 0;
        writer.BeforeBatch = async (_, _) =>
        {
            if (++batches == 1)
            {
                entered.SetResult();
                await release.Task;
            }
            else if (learnerEdits)
            {
                // The learner moves a card between our two writes: the second must keep it.
                await File.WriteAllTextAsync(path, Moved(await File.ReadAllTextAsync(path)));
            }
        };

        var first = writer.AddExplanationsAsync(path, [Placement(marked[0])]);
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var second = writer.AddExplanationsAsync(path, [Placement(marked[1]), Placement(marked[2])]);
        var third = writer.AddExplanationsAsync(path, [Placement(marked[3])]);
        release.SetResult();
        await Task.WhenAll(first, second, third).WaitAsync(TimeSpan.FromSeconds(30));

        // The same two batches, each parsed from the file by a writer of its own.
        await new CanvasWriteBack().AddExplanationsAsync(expected, [Placement(marked[0])]);
        if (learnerEdits)
        {
            await File.WriteAllTextAsync(expected, Moved(await File.ReadAllTextAsync(expected)));
        }

        await new CanvasWriteBack().AddExplanationsAsync(expected, [Placement(marked[1]), Placement(marked[2]), Placement(marked[3])]);
        Assert.Equal(2, batches);
        Assert.Equal(await File.ReadAllTextAsync(expected), await File.ReadAllTextAsync(path));
        Assert.Equal(learnerEdits, (await File.ReadAllTextAsync(path)).Contains("\"x\":77777", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("[{\"a\":1},{}]", 2)]
    [InlineData("[{}, 7, \"x\", {}]", 2)]
    [InlineData("[{} // comment\n, {},]", 2)]
    [InlineData(" [ ] ", 0)]
    [InlineData("[{}", null)]
    [InlineData("[{}]]", null)]
    [InlineData("[{} {}]", null)]
    [InlineData("[{\"a\":}]", null)]
    [InlineData("{}", null)]
    public void The_check_of_an_edited_array_counts_its_objects_and_refuses_anything_else(string text, int? objects) =>
        Assert.Equal(objects, CanvasReader.CountObjects(Encoding.UTF8.GetBytes(text)));

    private static void AssertSameMap(CanvasDocument parsed, CanvasDocument successor)
    {
        Assert.Equal(parsed.Nodes, successor.Nodes);
        Assert.Equal(parsed.Edges, successor.Edges);
        Assert.Equal(parsed.Map.NodeSpans, successor.Map.NodeSpans);
        Assert.Equal(parsed.Map.EdgeSpans, successor.Map.EdgeSpans);
        Assert.Equal(parsed.Map.NodesArray, successor.Map.NodesArray);
        Assert.Equal(parsed.Map.EdgesArray, successor.Map.EdgesArray);
        Assert.Equal(parsed.Map.Root, successor.Map.Root);
        Assert.Equal(parsed.Map.NodeKeysSorted, successor.Map.NodeKeysSorted);
        Assert.Equal(parsed.Map.EdgeKeysSorted, successor.Map.EdgeKeysSorted);
    }

    /// <summary>The first card's x, changed as a learner dragging it would.</summary>
    private static string Moved(string canvas)
    {
        var at = canvas.IndexOf("\"x\":", StringComparison.Ordinal) + 4;
        var end = canvas.IndexOf(',', at);
        return canvas[..at] + "77777" + canvas[end..];
    }

    private static ExplanationPlacement Placement(string nodeId) =>
        new(nodeId, ExplanationFiles.StableId("t", nodeId, "file"), ExplanationFiles.StableId("t", nodeId, "edge"), $"study-explanations/oral-explanation - {nodeId}.md", "oral-explanation");
}
