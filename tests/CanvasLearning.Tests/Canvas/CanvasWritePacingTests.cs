using CanvasLearning.Canvas;
using Microsoft.Extensions.Time.Testing;

namespace CanvasLearning.Tests.Canvas;

/// <summary>
/// A canvas is not rewritten back to back: after a write, the next one of the same file waits as
/// long as that write took (at most 0.1 s), so a big canvas (and Obsidian, which reloads it on
/// every change) is not kept busy by results streaming in. Driven by a fake clock: the first
/// write "takes" the time the test's hook advances the clock by while it writes.
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
    [InlineData(40, 40)]
    [InlineData(5_000, 100)]
    public async Task The_next_write_waits_as_long_as_the_last_took_at_most_a_tenth_of_a_second(int writeMs, int pauseMs)
    {
        _writeBack.WhileWriting = () =>
        {
            if (_clock.Timers == 0)
            {
                _clock.Advance(TimeSpan.FromMilliseconds(writeMs));
            }

            return Task.CompletedTask;
        };
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
    public async Task A_write_that_took_no_time_lets_the_next_one_start_at_once()
    {
        await _writeBack.AddExplanationAsync(_path, Placement("a"));
        await _writeBack.AddExplanationAsync(_path, Placement("b")).WaitAsync(Timeout);

        Assert.Equal(0, _clock.Timers);
        Assert.NotNull((await CanvasDocument.LoadAsync(_path)).FindNode("file-b"));
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
