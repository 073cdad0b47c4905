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

    [Fact]
    public async Task Small_canvases_are_kept_side_by_side_but_two_big_ones_are_not()
    {
        var (small1, small2, big1, big2) = (Path.Combine(_folder, "s1.canvas"), Path.Combine(_folder, "s2.canvas"), Path.Combine(_folder, "b1.canvas"), Path.Combine(_folder, "b2.canvas"));
        await File.WriteAllTextAsync(small1, Canvas("a"));
        await File.WriteAllTextAsync(small2, Canvas("b"));
        await File.WriteAllTextAsync(big1, Canvas(new string('x', 5_000_000)));
        await File.WriteAllTextAsync(big2, Canvas(new string('y', 5_000_000)));
        var cache = new CanvasCache();

        var first = await cache.LoadAsync(small1);
        await cache.LoadAsync(small2);
        Assert.Same(first, await cache.LoadAsync(small1));

        // A parse holds several times its file: a second 5 MB canvas pushes the first one out.
        var big = await cache.LoadAsync(big1);
        await cache.LoadAsync(big2);
        Assert.NotSame(big, await cache.LoadAsync(big1));
    }

    private static string Canvas(string letter) =>
        $$"""{"nodes":[{"id":"n1","type":"text","text":"concept {{letter}}","x":0,"y":0,"width":300,"height":120}],"edges":[]}""";
}
