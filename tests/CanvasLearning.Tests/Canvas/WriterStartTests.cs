using CanvasLearning.Canvas;

namespace CanvasLearning.Tests.Canvas;

/// <summary>
/// The canvas writer starts a batch from what it knows of the file (its last write, or the parse
/// analyze left in the cache) without comparing the file first; the comparison just before the
/// rename decides. Whatever the learner saved meanwhile must still be in the file afterwards, and
/// what they deleted must be seen as deleted.
/// </summary>
public sealed class WriterStartTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(CanvasStyle.Obsidian)]
    [InlineData(CanvasStyle.ObsidianCrlfBom)]
    public async Task An_edit_saved_after_the_cache_read_the_canvas_is_kept_and_the_result_is_what_a_fresh_read_gives(CanvasStyle style)
    {
        var (text, marked) = RealLikeCanvas.StudyMap(style);
        var path = Path.GetFullPath(_temp.Write("a/study.canvas", text));
        var expected = _temp.Write("b/study.canvas", Moved(text, 77777));
        var cache = new CanvasCache();
        await cache.LoadAsync(path);

        // The learner moves a card after analyze read the canvas: the cache still holds the old bytes.
        await File.WriteAllTextAsync(path, Moved(text, 77777));
        var placements = marked.Take(3).Select(Placement).ToList();
        Assert.Equal(3, await new CanvasWriteBack(cache).AddExplanationsAsync(path, placements));
        Assert.Equal(3, await new CanvasWriteBack().AddExplanationsAsync(expected, placements));

        Assert.Equal(await File.ReadAllBytesAsync(expected), await File.ReadAllBytesAsync(path));
        Assert.Contains("\"x\":77777", await File.ReadAllTextAsync(path), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_explanation_the_learner_deleted_since_our_last_write_is_added_again()
    {
        var (text, marked) = RealLikeCanvas.StudyMap(CanvasStyle.Obsidian);
        var path = Path.GetFullPath(_temp.Write("a/study.canvas", text));
        var writer = new CanvasWriteBack(new CanvasCache());
        Assert.Equal(1, await writer.AddExplanationsAsync(path, [Placement(marked[0])]));
        var written = await File.ReadAllBytesAsync(path);

        // Undone in Obsidian: the file is as before our write, which the writer's own document still shows.
        await File.WriteAllTextAsync(path, text);
        Assert.Equal(1, await writer.AddExplanationsAsync(path, [Placement(marked[0])]));

        Assert.Equal(written, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task Saves_during_our_writes_are_kept_as_long_as_the_writer_retries_even_when_it_started_from_the_cache()
    {
        var (text, marked) = RealLikeCanvas.StudyMap(CanvasStyle.Obsidian);
        var path = Path.GetFullPath(_temp.Write("a/study.canvas", text));
        var cache = new CanvasCache();
        await cache.LoadAsync(path);
        var writer = new CanvasWriteBack(cache);

        // The learner saves while each of our first five writes is under way: the first started from
        // the cache's bytes (not a race lost), the next four from the file; the writer gives up on
        // waiting only after five races lost in a row, so the sixth write keeps every save.
        var saves = 0;
        writer.WhileWriting = async () =>
        {
            if (saves < 5)
            {
                saves++;
                await File.WriteAllTextAsync(path, Moved(await File.ReadAllTextAsync(path), 77770 + saves));
            }
        };
        Assert.Equal(1, await writer.AddExplanationsAsync(path, [Placement(marked[0])]));

        var after = await File.ReadAllTextAsync(path);
        Assert.Equal(5, saves);
        Assert.Contains("\"x\":77775", after, StringComparison.Ordinal);
        Assert.Contains(ExplanationFiles.StableId("t", marked[0], "file"), after, StringComparison.Ordinal);
    }

    /// <summary>The canvas with its first card moved to <paramref name="x"/>.</summary>
    private static string Moved(string canvas, int x)
    {
        var at = canvas.IndexOf("\"x\":", StringComparison.Ordinal) + 4;
        var end = canvas.IndexOf(',', at);
        return canvas[..at] + x + canvas[end..];
    }

    private static ExplanationPlacement Placement(string nodeId) =>
        new(nodeId, ExplanationFiles.StableId("t", nodeId, "file"), ExplanationFiles.StableId("t", nodeId, "edge"), $"study-explanations/oral-explanation - {nodeId}.md", "oral-explanation");
}
