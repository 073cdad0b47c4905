using System.Text;
using CanvasLearning.Canvas;

namespace CanvasLearning.Tests.Canvas;

/// <summary>A 5 MB canvas, generated here: the same promises as on a small one (speed is measured in bench/, not here).</summary>
public sealed class LargeCanvasTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_5_MB_canvas_gains_only_its_new_lines_and_a_second_write_changes_nothing()
    {
        var (text, marked) = RealLikeCanvas.Large(5_000_000, marked: 38);
        var path = _temp.Write("big.canvas", text);
        var writeBack = new CanvasWriteBack();
        Assert.True(Encoding.UTF8.GetByteCount(text) >= 5_000_000);

        await writeBack.AddExplanationsAsync(path, marked.Select(Placement).ToList());
        var first = await File.ReadAllBytesAsync(path);
        await writeBack.AddExplanationsAsync(path, marked.Select(Placement).ToList());

        var added = CanvasDiffAssert.OnlyAddedLines(text, Encoding.UTF8.GetString(first));
        Assert.Equal(2 * marked.Count, added.Count);
        Assert.Equal(first, await File.ReadAllBytesAsync(path));
        var doc = CanvasDocument.Parse(first);
        foreach (var id in marked)
        {
            var source = doc.FindNode(id)!;
            var ours = doc.Nodes.Single(n => n.File == $"big-explanations/{id}.md");
            Assert.False(doc.Nodes.Any(n => n.Id != ours.Id && n.X < ours.Right && ours.X < n.Right && n.Y < ours.Bottom && ours.Y < n.Bottom),
                $"the explanation of {id} overlaps a node");
            Assert.True(Math.Abs(ours.Y - source.Y) < 2000 && Math.Abs(ours.X - source.X) < 2000, $"the explanation of {id} is far from it");
        }
    }

    private static ExplanationPlacement Placement(string nodeId) =>
        new(nodeId, ExplanationFiles.StableId("t", nodeId, "file"), ExplanationFiles.StableId("t", nodeId, "edge"), $"big-explanations/{nodeId}.md", "oral-explanation");
}
