using CanvasLearning.Canvas;
using Microsoft.Extensions.Time.Testing;

namespace CanvasLearning.Tests.Canvas;

/// <summary>
/// A canvas is not rewritten back to back: after a write, the next one of the same file waits
/// three times as long as that write took (at most 0.1 s), so a big canvas (and Obsidian, which
/// reloads it on every change) is not kept busy by results streaming in; once every placement
/// announced to the writer has come, nothing more is on its way and the pause ends. A write with no
/// pause due waits as long while announced placements are still on their way (its file's size at an
/// assumed 100 MB/s), so a session's first result is not written on its own. Driven by a fake
/// clock: the first write "takes" the time the test's hook advances the clock by while it writes.
/// </summary>
public sealed class CanvasWritePacingTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _temp = new();
    private readonly TimerCountingClock _clock = new();
    private readonly CanvasWriteBack _writeBack;
    private readonly string _path;

    public CanvasWritePacingTests()
    {
        _path = _temp.Write("notes/map.canvas", """
            {"nodes":[
            	{"id":"a","type":"text","text":"集合","x":0,"y":0,"width":250,"height":60},
            	{"id":"b","type":"text","text":"映射","x":0,"y":1000,"width":250,"height":60}
            ],"edges":[]}
            """);
        _writeBack = new CanvasWriteBack(time: _clock);
    }

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(20, 60)]
    [InlineData(5_000, 100)]
    public async Task The_next_write_waits_three_times_as_long_as_the_last_took_at_most_a_tenth_of_a_second(int writeMs, int pauseMs)
    {
        FirstWriteTakes(writeMs);
        await _writeBack.AddExplanationAsync(_path, Placement("a"));
        var afterFirst = await File.ReadAllTextAsync(_path);

        var second = _writeBack.AddExplanationAsync(_path, Placement("b"));
        await WaitUntilAsync(() => _clock.Timers > 0);
        _clock.Advance(TimeSpan.FromMilliseconds(pauseMs - 1));

        // Still waiting: queued, not written.
        Assert.Equal(1, _writeBack.QueuedCount(_path));
        Assert.False(second.IsCompleted);
        Assert.Equal(afterFirst, await File.ReadAllTextAsync(_path));

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        await second.WaitAsync(Timeout);
        var doc = await CanvasDocument.LoadAsync(_path);
        Assert.NotNull(doc.FindNode("file-a"));
        Assert.NotNull(doc.FindNode("file-b"));
    }

    [Fact]
    public async Task Once_every_announced_placement_has_come_the_next_write_starts_at_once()
    {
        // A session of two concepts: both announced before either is explained.
        FirstWriteTakes(40);
        var (a, b) = (_writeBack.Expect(_path), _writeBack.Expect(_path));
        await WrittenAfterGatheringAsync(_writeBack.AddExplanationsAsync(_path, [Placement("a")], a));

        // The last one comes while the writer pauses: it is written without the clock moving on.
        await _writeBack.AddExplanationsAsync(_path, [Placement("b")], b).WaitAsync(Timeout);

        Assert.NotNull((await CanvasDocument.LoadAsync(_path)).FindNode("file-b"));
    }

    [Fact]
    public async Task The_pause_holds_while_an_announced_placement_is_still_on_its_way_and_ends_when_it_is_given_up()
    {
        FirstWriteTakes(40);
        var (a, b, c) = (_writeBack.Expect(_path), _writeBack.Expect(_path), _writeBack.Expect(_path));
        await WrittenAfterGatheringAsync(_writeBack.AddExplanationsAsync(_path, [Placement("a")], a));
        var second = _writeBack.AddExplanationsAsync(_path, [Placement("b")], b);
        await WaitUntilAsync(() => _clock.Timers > 1);

        // c is still on its way: b waits for the pause (or for c).
        Assert.Equal(1, _writeBack.QueuedCount(_path));
        Assert.False(second.IsCompleted);

        // c's agent failed: nothing more is coming, b is written at once.
        c.Dispose();
        await second.WaitAsync(Timeout);
        Assert.NotNull((await CanvasDocument.LoadAsync(_path)).FindNode("file-b"));
    }

    [Fact]
    public async Task A_first_write_waits_for_the_results_on_their_way_and_writes_them_in_one_go()
    {
        var (a, b) = (_writeBack.Expect(_path), _writeBack.Expect(_path));
        var before = await File.ReadAllTextAsync(_path);
        var first = _writeBack.AddExplanationsAsync(_path, [Placement("a")], a);
        await WaitUntilAsync(() => _clock.Timers > 0);

        // b is on its way: a is not written on its own.
        Assert.Equal(1, _writeBack.QueuedCount(_path));
        Assert.False(first.IsCompleted);
        Assert.Equal(before, await File.ReadAllTextAsync(_path));

        // b comes: both are written together, without the clock moving on.
        await _writeBack.AddExplanationsAsync(_path, [Placement("b")], b).WaitAsync(Timeout);
        await first.WaitAsync(Timeout);
        Assert.Equal(1, _writeBack.Rewrites);
        var doc = await CanvasDocument.LoadAsync(_path);
        Assert.NotNull(doc.FindNode("file-a"));
        Assert.NotNull(doc.FindNode("file-b"));
    }

    [Theory]
    [InlineData(1_000_000, 30)]
    [InlineData(5_000_000, 100)]
    public async Task A_first_write_gathers_three_times_as_long_as_writing_the_file_should_take_at_most_a_tenth_of_a_second(int bytes, int pauseMs)
    {
        // At 100 MB/s, the speed a canvas's first write is assumed to have.
        var head = """{"nodes":[{"id":"a","type":"text","text":"集合""";
        var tail = "\",\"x\":0,\"y\":0,\"width\":250,\"height\":60}],\"edges\":[]}\n";
        var padding = bytes - System.Text.Encoding.UTF8.GetByteCount(head + tail);
        await File.WriteAllTextAsync(_path, head + new string('x', padding) + tail);
        Assert.Equal(bytes, new FileInfo(_path).Length);

        var (a, b) = (_writeBack.Expect(_path), _writeBack.Expect(_path));
        var first = _writeBack.AddExplanationsAsync(_path, [Placement("a")], a);
        await WaitUntilAsync(() => _clock.Timers > 0);
        _clock.Advance(TimeSpan.FromMilliseconds(pauseMs - 1));
        Assert.False(first.IsCompleted);
        Assert.Equal(1, _writeBack.QueuedCount(_path));

        // b has not come: after the pause, a is written without it.
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        await first.WaitAsync(Timeout);
        Assert.Equal(1, _writeBack.Rewrites);
        Assert.Null((await CanvasDocument.LoadAsync(_path)).FindNode("file-b"));
        b.Dispose();
    }

    [Fact]
    public async Task A_write_that_took_no_time_lets_the_next_one_start_at_once()
    {
        await _writeBack.AddExplanationAsync(_path, Placement("a"));
        await _writeBack.AddExplanationAsync(_path, Placement("b")).WaitAsync(Timeout);

        Assert.Equal(0, _clock.Timers);
        Assert.NotNull((await CanvasDocument.LoadAsync(_path)).FindNode("file-b"));
    }

    /// <summary>The first write of the test "takes" <paramref name="ms"/> on the fake clock.</summary>
    private void FirstWriteTakes(int ms)
    {
        var first = true;
        _writeBack.WhileWriting = () =>
        {
            if (first)
            {
                first = false;
                _clock.Advance(TimeSpan.FromMilliseconds(ms));
            }

            return Task.CompletedTask;
        };
    }

    /// <summary>A write that gathers first (placements are on their way), let go once its pause (microseconds, for this tiny canvas) has passed.</summary>
    private async Task WrittenAfterGatheringAsync(Task<int> write)
    {
        await WaitUntilAsync(() => _clock.Timers > 0);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        await write.WaitAsync(Timeout);
    }

    private static ExplanationPlacement Placement(string source) =>
        new(source, $"file-{source}", $"edge-{source}", $"notes/map-explanations/{source}.md", "oral-explanation");

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(Timeout);
        while (!condition())
        {
            await Task.Delay(5, deadline.Token);
        }
    }

    /// <summary>A fake clock that counts the timers created on it (a pause is one).</summary>
    private sealed class TimerCountingClock : FakeTimeProvider
    {
        private int _timers;

        public int Timers => Volatile.Read(ref _timers);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Interlocked.Increment(ref _timers);
            return base.CreateTimer(callback, state, dueTime, period);
        }
    }
}
