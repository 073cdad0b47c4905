using CanvasLearning.Realtime;

namespace CanvasLearning.Tests.Realtime;

public sealed class AsyncSignalTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_set_before_the_wait_is_taken_by_it_and_only_by_it()
    {
        var signal = new AsyncSignal();
        signal.Set();
        signal.Set();

        await signal.WaitAsync(CancellationToken.None).AsTask().WaitAsync(Timeout);
        var second = signal.WaitAsync(CancellationToken.None).AsTask();
        Assert.False(second.IsCompleted, "two sets before a wait woke two waits");
        signal.Set();
        await second.WaitAsync(Timeout);
    }

    [Fact]
    public async Task A_waiter_is_woken_by_a_set_from_another_thread_every_time()
    {
        var signal = new AsyncSignal();
        for (var i = 0; i < 1_000; i++)
        {
            var wait = signal.WaitAsync(CancellationToken.None).AsTask();
            _ = Task.Run(signal.Set);
            await wait.WaitAsync(Timeout);
        }
    }

    [Fact]
    public async Task Cancelling_ends_the_wait_and_the_signal_still_works_after()
    {
        var signal = new AsyncSignal();
        using var cancel = new CancellationTokenSource();
        var wait = signal.WaitAsync(cancel.Token).AsTask();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(Timeout));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => signal.WaitAsync(cancel.Token).AsTask());
        var next = signal.WaitAsync(CancellationToken.None).AsTask();
        signal.Set();
        await next.WaitAsync(Timeout);
    }
}
