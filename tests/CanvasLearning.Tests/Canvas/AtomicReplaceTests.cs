using CanvasLearning.Canvas;
using Microsoft.Win32.SafeHandles;

namespace CanvasLearning.Tests.Canvas;

/// <summary>
/// <see cref="AtomicFile.ReplaceIfUnchangedAsync(string, byte[], Func{bool}, CancellationToken)"/>: the
/// canvas writer's replace, which must leave a file another program saved meanwhile as that program left it.
/// </summary>
public sealed class AtomicReplaceTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_file_that_still_holds_what_was_read_is_replaced_and_the_check_comes_once_the_new_content_is_written()
    {
        var path = _temp.Write("map.canvas", "old");
        var steps = new Steps();
        long? tempAtCheck = null;

        var replaced = await AtomicFile.ReplaceIfUnchangedAsync(path, "new"u8.ToArray(), () =>
        {
            // The temporary file is held shut to other readers until its rename: its size tells.
            tempAtCheck = new FileInfo(steps.TempPath!).Length;
            return true;
        }, steps);

        Assert.True(replaced);
        Assert.Equal(3, tempAtCheck);
        Assert.Equal(["write", "flush file", "rename", "flush folder"], steps.Taken);
        Assert.Equal("new", await File.ReadAllTextAsync(path));
        Assert.Equal([path], Directory.GetFiles(_temp.Path));
    }

    [Fact]
    public async Task A_file_changed_since_it_was_read_is_left_as_the_other_program_saved_it_and_no_temporary_file_stays()
    {
        var path = _temp.Write("map.canvas", "old");
        var steps = new Steps();

        var replaced = await AtomicFile.ReplaceIfUnchangedAsync(path, "new"u8.ToArray(), () =>
        {
            File.WriteAllText(path, "saved by Obsidian");
            return false;
        }, steps);

        Assert.False(replaced);
        Assert.DoesNotContain("rename", steps.Taken);
        Assert.Equal("saved by Obsidian", await File.ReadAllTextAsync(path));
        Assert.Equal([path], Directory.GetFiles(_temp.Path));
    }

    [Fact]
    public async Task A_check_that_fails_fails_the_replace_and_leaves_the_file_and_no_temporary_file()
    {
        var path = _temp.Write("map.canvas", "old");

        await Assert.ThrowsAsync<IOException>(() => AtomicFile.ReplaceIfUnchangedAsync(path, "new"u8.ToArray(), () => throw new IOException("FAKE: the file cannot be read"), new Steps()));

        Assert.Equal("old", await File.ReadAllTextAsync(path));
        Assert.Equal([path], Directory.GetFiles(_temp.Path));
    }

    /// <summary>The system's steps, each one's name recorded in order.</summary>
    private sealed class Steps : IAtomicFileSteps
    {
        public List<string> Taken { get; } = [];

        public string? TempPath { get; private set; }

        public void Write(SafeFileHandle temp, string tempPath, ReadOnlySpan<byte> contents)
        {
            (TempPath, _) = (tempPath, Record("write"));
            OsFileSteps.Instance.Write(temp, tempPath, contents);
        }

        public void FlushFile(SafeFileHandle temp, string tempPath)
        {
            Record("flush file");
            OsFileSteps.Instance.FlushFile(temp, tempPath);
        }

        public void Rename(string tempPath, string targetPath)
        {
            Record("rename");
            OsFileSteps.Instance.Rename(tempPath, targetPath);
        }

        public void FlushFolder(string directory)
        {
            Record("flush folder");
            OsFileSteps.Instance.FlushFolder(directory);
        }

        private bool Record(string step)
        {
            lock (Taken)
            {
                Taken.Add(step);
            }

            return true;
        }
    }
}
