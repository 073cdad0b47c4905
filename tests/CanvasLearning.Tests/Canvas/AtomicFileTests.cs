using System.Text;
using CanvasLearning.Canvas;

namespace CanvasLearning.Tests.Canvas;

public sealed class AtomicFileTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Replaces_content_and_leaves_no_temp_files()
    {
        var path = _temp.Write("a.canvas", "old content that is longer than the new one");

        await AtomicFile.WriteAllTextAsync(path, "新内容");

        Assert.Equal("新内容", await File.ReadAllTextAsync(path));
        Assert.Equal([path], Directory.GetFiles(_temp.Path));
    }

    [Fact]
    public async Task Writes_UTF8_without_BOM_and_creates_the_directory()
    {
        var path = _temp.Combine("new", "dir", "b.md");

        await AtomicFile.WriteAllTextAsync(path, "é");

        Assert.Equal(Encoding.UTF8.GetBytes("é"), await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task Cancelled_write_leaves_the_original_and_no_temp_files()
    {
        var path = _temp.Write("c.canvas", "original");
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => AtomicFile.WriteAllTextAsync(path, "new", cts.Token));

        Assert.Equal("original", await File.ReadAllTextAsync(path));
        Assert.Equal([path], Directory.GetFiles(_temp.Path));
    }

    [Fact]
    public async Task Failed_rename_deletes_the_temp_file()
    {
        // The target is a directory, so the final move fails after the temp file was written.
        var target = _temp.Combine("taken");
        Directory.CreateDirectory(target);

        await Assert.ThrowsAnyAsync<IOException>(() => AtomicFile.WriteAllTextAsync(target, "x"));

        Assert.Empty(Directory.GetFiles(_temp.Path));
    }

    [Fact]
    public async Task Writing_through_a_file_link_updates_the_target_and_keeps_the_link()
    {
        var target = _temp.Write("real.canvas", "old");
        var link = _temp.Combine("alias.canvas");
        File.CreateSymbolicLink(link, target);

        await AtomicFile.WriteAllTextAsync(link, "new");

        Assert.Equal("new", await File.ReadAllTextAsync(target));
        Assert.NotNull(new FileInfo(link).LinkTarget);
    }

    [Fact]
    public async Task Concurrent_writers_never_leave_a_torn_file()
    {
        var path = _temp.Combine("d.txt");
        var contents = Enumerable.Range(0, 20).Select(i => new string((char)('a' + i), 10_000)).ToList();

        await Task.WhenAll(contents.Select(c => Task.Run(() => AtomicFile.WriteAllTextAsync(path, c))));

        Assert.Contains(await File.ReadAllTextAsync(path), contents);
        Assert.Equal([path], Directory.GetFiles(_temp.Path));
    }
}
