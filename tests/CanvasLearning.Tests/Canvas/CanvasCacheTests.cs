using CanvasLearning.Canvas;

namespace CanvasLearning.Tests.Canvas;

public sealed class CanvasCacheTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cl-canvascache-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task The_same_bytes_reuse_one_parse_and_an_edit_is_always_seen()
    {
        var path = Path.Combine(_folder, "study.canvas");
        await File.WriteAllTextAsync(path, Canvas("a"));
        var cache = new CanvasCache();

        var first = await cache.LoadAsync(path);
        Assert.Same(first, await cache.LoadAsync(path));

        // Same length, same second: only the bytes tell.
        await File.WriteAllTextAsync(path, Canvas("b"));
        var edited = await cache.LoadAsync(path);
        Assert.NotSame(first, edited);
        Assert.Equal("concept b", edited.FindNode("n1")!.Text);
    }

    [Fact]
    public async Task A_shared_document_cannot_be_changed()
    {
        var path = Path.Combine(_folder, "study.canvas");
        await File.WriteAllTextAsync(path, Canvas("a"));
        var shared = await new CanvasCache().LoadAsync(path);

        Assert.Throws<InvalidOperationException>(() => shared.AddNode(new CanvasNode("n2", CanvasNodeTypes.Text, 0, 0, 10, 10, Text: "x")));
        Assert.False(shared.HasChanges);
    }

    private static string Canvas(string letter) =>
        $$"""{"nodes":[{"id":"n1","type":"text","text":"concept {{letter}}","x":0,"y":0,"width":300,"height":120}],"edges":[]}""";
}
