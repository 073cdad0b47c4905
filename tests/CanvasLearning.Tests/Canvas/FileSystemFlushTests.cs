using CanvasLearning.Canvas;

namespace CanvasLearning.Tests.Canvas;

/// <summary>The group flush's promise, with a flush of the test's own that it holds until it lets it go.</summary>
public sealed class FileSystemFlushTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Writes_waiting_while_a_flush_runs_share_the_next_one_and_none_is_released_by_a_flush_that_started_before_it()
    {
        var flush = new HeldFlush();
        var group = new FileSystemFlush(flush.Run);

        var first = group.FlushAsync();
        await flush.Started(1).WaitAsync(Patience);
        var later = Enumerable.Range(0, 5).Select(_ => group.FlushAsync()).ToArray();

        flush.Release(1);
        await first.WaitAsync(Patience);
        // The flush that was running when they asked may have missed their writes.
        Assert.All(later, task => Assert.False(task.IsCompleted));

        await flush.Started(2).WaitAsync(Patience);
        flush.Release(2);
        await Task.WhenAll(later).WaitAsync(Patience);
        Assert.Equal(2, group.Flushes);
    }

    [Fact]
    public async Task A_failing_flush_fails_the_writes_it_covered_and_the_next_one_can_succeed()
    {
        var flush = new HeldFlush { FailFirst = true };
        var group = new FileSystemFlush(flush.Run);

        var failed = group.FlushAsync();
        await flush.Started(1).WaitAsync(Patience);
        flush.Release(1);
        var error = await Assert.ThrowsAsync<IOException>(() => failed.WaitAsync(Patience));
        Assert.Contains("FAKE", error.Message, StringComparison.Ordinal);

        var next = group.FlushAsync();
        await flush.Started(2).WaitAsync(Patience);
        flush.Release(2);
        await next.WaitAsync(Patience);
    }

    [Fact]
    public async Task A_flush_that_throws_fails_its_writes_with_an_IO_error_and_the_group_goes_on()
    {
        var calls = 0;
        var group = new FileSystemFlush(() => Interlocked.Increment(ref calls) == 1 ? throw new InvalidOperationException("FAKE: broken") : null);

        await Assert.ThrowsAsync<IOException>(() => group.FlushAsync().WaitAsync(Patience));
        await group.FlushAsync().WaitAsync(Patience);
    }

    /// <summary>Each run signals that it started, then blocks until the test releases it.</summary>
    private sealed class HeldFlush
    {
        private readonly TaskCompletionSource[] _started = [.. Enumerable.Range(0, 4).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously))];
        private readonly SemaphoreSlim[] _released = [.. Enumerable.Range(0, 4).Select(_ => new SemaphoreSlim(0))];
        private int _runs;

        public bool FailFirst { get; init; }

        public Task Started(int run) => _started[run - 1].Task;

        public void Release(int run) => _released[run - 1].Release();

        public IOException? Run()
        {
            var run = Interlocked.Increment(ref _runs);
            _started[run - 1].SetResult();
            _released[run - 1].Wait(Patience);
            return FailFirst && run == 1 ? new IOException("FAKE: EIO from syncfs") : null;
        }
    }
}
