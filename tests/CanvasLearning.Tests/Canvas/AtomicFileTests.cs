using System.Text;
using CanvasLearning.Canvas;
using Microsoft.Win32.SafeHandles;

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
    public async Task The_new_content_is_on_disk_before_the_rename_and_the_folder_is_flushed_after_it()
    {
        var path = _temp.Write("e.canvas", "old");
        var steps = new RecordingSteps(path);

        await AtomicFile.WriteAllTextAsync(path, "new", steps);

        Assert.Equal(["write", "flush file", "rename", "flush folder"], steps.Taken.Select(t => t.Step));
        var (_, temp, _, _) = steps.Taken[0];
        Assert.True(AtomicFile.IsTempName(Path.GetFileName(temp)), temp);
        Assert.Equal(_temp.Path, Path.GetDirectoryName(temp));
        Assert.Equal(("flush file", temp), (steps.Taken[1].Step, steps.Taken[1].Path));

        // At the rename the temporary file holds all of the new content and the target is untouched;
        // the folder is flushed once the target has the new content, and it is the target's folder.
        Assert.Equal(("rename", temp, "new", "old"), steps.Taken[2]);
        Assert.Equal(("flush folder", _temp.Path, null, "new"), steps.Taken[3]);
        Assert.Equal("new", await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task A_new_file_waits_for_its_file_systems_shared_flush_instead_of_flushing_itself_and_its_folder()
    {
        // syncfs is Linux's: elsewhere the file and its folder are flushed as by WriteAllTextAsync.
        var path = _temp.Combine("explanations", "集合.md");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var group = FileSystemFlush.For(Path.GetDirectoryName(path)!);
        Assert.Equal(OperatingSystem.IsLinux(), group is not null);
        var flushes = group?.Flushes;
        var steps = new RecordingSteps(path);

        await AtomicFile.WriteNewTextAsync(path, "新的", steps);

        Assert.Equal(group is null ? ["write", "flush file", "rename", "flush folder"] : new[] { "write", "rename" }, steps.Taken.Select(t => t.Step));
        Assert.True(group is null || group.Flushes > flushes, "no flush of the file system started after the rename");
        Assert.Equal("新的", await File.ReadAllTextAsync(path));
        Assert.Equal([path], Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public async Task A_file_replaced_with_a_shared_flush_still_has_its_new_content_on_disk_before_the_rename()
    {
        // Renaming over the old file must never make a half-written one the target after a power cut.
        var path = _temp.Write("g.md", "old");
        var steps = new RecordingSteps(path);

        await AtomicFile.WriteNewTextAsync(path, "new", steps);

        var expected = OperatingSystem.IsLinux() ? new[] { "write", "flush file", "rename" } : ["write", "flush file", "rename", "flush folder"];
        Assert.Equal(expected, steps.Taken.Select(t => t.Step));
        Assert.Equal(("rename", "new", "old"), (steps.Taken[2].Step, steps.Taken[2].Content, steps.Taken[2].Target));
        Assert.Equal("new", await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task A_replaced_file_keeps_the_permissions_its_owner_gave_it()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // no Unix modes to keep
        }

        var canvas = _temp.Write("h.canvas", "old");
        var note = _temp.Write("h.md", "old");
        const UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
        File.SetUnixFileMode(canvas, mode);
        File.SetUnixFileMode(note, mode);

        await AtomicFile.WriteAllTextAsync(canvas, "new");
        await AtomicFile.WriteNewTextAsync(note, "new");

        Assert.Equal(mode, File.GetUnixFileMode(canvas));
        Assert.Equal(mode, File.GetUnixFileMode(note));
    }

    [Fact]
    public void Folders_on_one_file_system_share_one_flush_and_a_missing_folder_has_none()
    {
        Directory.CreateDirectory(_temp.Combine("a"));
        Directory.CreateDirectory(_temp.Combine("b"));

        Assert.Equal(OperatingSystem.IsLinux(), FileSystemFlush.For(_temp.Combine("a")) is not null);
        Assert.Same(FileSystemFlush.For(_temp.Combine("a")), FileSystemFlush.For(_temp.Combine("b")));
        Assert.Null(FileSystemFlush.For(_temp.Combine("missing")));
    }

    [Fact]
    public async Task A_folder_flush_that_fails_fails_the_write_and_leaves_no_temp_file()
    {
        // So the caller (a node's run) reports an I/O error and tries again instead of recording a
        // result whose rename may not survive a power cut.
        var path = _temp.Write("f.md", "old");
        var steps = new RecordingSteps(path) { FolderFlushFails = true };

        await Assert.ThrowsAsync<IOException>(() => AtomicFile.WriteAllTextAsync(path, "new", steps));

        Assert.Equal("flush folder", steps.Taken[^1].Step);
        Assert.Equal([path], Directory.GetFiles(_temp.Path));
    }

    [Fact]
    public void A_folder_flush_reaches_the_file_system_where_the_operating_system_allows_one()
    {
        // Not a recording: the real call. On Linux and macOS the folder is opened and fsynced (a
        // silent fallback, as File.OpenHandle refusing directories would give, returns false).
        Assert.Equal(!OperatingSystem.IsWindows(), FolderFlush.Flush(_temp.Path));
        Assert.False(FolderFlush.Flush(_temp.Combine("missing")));
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

    [Fact]
    public void Stale_temp_files_of_ours_are_deleted_and_everything_else_is_kept()
    {
        var hex = Guid.NewGuid().ToString("N");
        string[] ours = [$".a.canvas.{hex}.tmp", $".a - b (2).md.{Guid.NewGuid():N}.tmp", $".概念.md.{Guid.NewGuid():N}.tmp"];
        string[] theirs =
        [
            "notes.tmp", ".notes.tmp", ".a.canvas.tmp", $"a.canvas.{hex}.tmp", $".a.canvas.{hex.ToUpperInvariant()}.tmp",
            $".a.canvas.{hex[..31]}.tmp", $".a.canvas.{hex}.tmp.bak", $".a.canvas.{hex}.TMP", $"..{hex}.tmp.md", $".{hex}.tmp",
        ];
        foreach (var name in ours.Concat(theirs))
        {
            _temp.Write(name, "x");
        }

        // A folder and a link with our pattern are not files we wrote.
        Directory.CreateDirectory(_temp.Combine($".d.canvas.{Guid.NewGuid():N}.tmp"));
        var linkTarget = _temp.Write("kept.md", "user data");
        File.CreateSymbolicLink(_temp.Combine($".l.md.{Guid.NewGuid():N}.tmp"), linkTarget);

        Assert.Equal(ours.Length, AtomicFile.DeleteStaleTempFiles(_temp.Path));

        var left = Directory.GetFileSystemEntries(_temp.Path).Select(Path.GetFileName).ToList();
        Assert.All(ours, name => Assert.DoesNotContain(name, left));
        Assert.All(theirs, name => Assert.Contains(name, left));
        Assert.Equal(theirs.Length + 3, left.Count);
        Assert.Equal("user data", File.ReadAllText(linkTarget));
        Assert.Equal(0, AtomicFile.DeleteStaleTempFiles(_temp.Path));
    }

    [Fact]
    public void Cleaning_a_missing_folder_does_nothing()
    {
        Assert.Equal(0, AtomicFile.DeleteStaleTempFiles(_temp.Combine("missing")));
    }

    [Fact]
    public void Our_temp_names_match_the_clean_up_pattern()
    {
        Assert.True(AtomicFile.IsTempName(AtomicFile.TempName("study.canvas")));
        Assert.True(AtomicFile.IsTempName(AtomicFile.TempName("oral-explanation - 集合.md")));
        Assert.False(AtomicFile.IsTempName("study.canvas.tmp"));
    }

    [Fact]
    public async Task Cleaning_never_removes_the_temp_file_of_a_write_in_progress()
    {
        var path = _temp.Combine("busy.canvas");
        using var stop = new CancellationTokenSource();
        var cleaner = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                AtomicFile.DeleteStaleTempFiles(_temp.Path);
                await Task.Yield();
            }
        });

        // Every write would fail on its rename if the cleaner took its temp file away.
        for (var round = 0; round < 20; round++)
        {
            await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => AtomicFile.WriteAllTextAsync(path, new string('x', 50_000 + i)))));
        }

        await stop.CancelAsync();
        await cleaner;
        Assert.Equal([path], Directory.GetFiles(_temp.Path));
    }

    /// <summary>
    /// Takes the real steps and records each one before taking it: its name, the path it acts on, what
    /// that path holds (for the rename: the temporary file) and what the target holds at that moment.
    /// </summary>
    private sealed class RecordingSteps(string target) : IAtomicFileSteps
    {
        public List<(string Step, string Path, string? Content, string Target)> Taken { get; } = [];

        public bool FolderFlushFails { get; init; }

        public void Write(SafeFileHandle temp, string tempPath, ReadOnlySpan<byte> contents)
        {
            Record("write", tempPath, null);
            OsFileSteps.Instance.Write(temp, tempPath, contents);
        }

        public void FlushFile(SafeFileHandle temp, string tempPath)
        {
            Record("flush file", tempPath, null);
            OsFileSteps.Instance.FlushFile(temp, tempPath);
        }

        public void Rename(string tempPath, string targetPath)
        {
            Record("rename", tempPath, ReadShared(tempPath));
            OsFileSteps.Instance.Rename(tempPath, targetPath);
        }

        public void FlushFolder(string directory)
        {
            Record("flush folder", directory, null);
            if (FolderFlushFails)
            {
                throw new IOException("FAKE: EIO from fsync of the folder");
            }

            OsFileSteps.Instance.FlushFolder(directory);
        }

        // A target that is not there yet (a new file) reads as "(none)".
        private void Record(string step, string path, string? content) => Taken.Add((step, path, content, File.Exists(target) ? ReadShared(target) : "(none)"));

        private static string ReadShared(string path)
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
    }
}
