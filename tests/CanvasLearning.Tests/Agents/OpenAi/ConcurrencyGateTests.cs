using CanvasLearning.Agents.OpenAi;
using Microsoft.Extensions.Time.Testing;

namespace CanvasLearning.Tests.Agents.OpenAi;

public sealed class ConcurrencyGateTests
{
    // Bounds waits for leases that are due: only a hang reaches it.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public async Task Calls_beyond_the_limit_wait_for_a_free_slot()
    {
        var gate = new ConcurrencyGate(2, TimeSpan.FromSeconds(60), _time);
        var first = await gate.EnterAsync(CancellationToken.None);
        using var second = await gate.EnterAsync(CancellationToken.None);

        var third = gate.EnterAsync(CancellationToken.None).AsTask();
        Assert.False(third.IsCompleted);

        first.Dispose();
        using var lease = await third.WaitAsync(Patience);
        Assert.Equal(2, gate.InFlight);
    }

    [Fact]
    public async Task Waiters_get_freed_slots_in_arrival_order_and_a_newcomer_cannot_jump_the_queue()
    {
        var gate = new ConcurrencyGate(1, TimeSpan.FromSeconds(60), _time);
        var held = await gate.EnterAsync(CancellationToken.None);
        var first = gate.EnterAsync(CancellationToken.None).AsTask();
        var second = gate.EnterAsync(CancellationToken.None).AsTask();

        held.Dispose();
        var newcomer = gate.EnterAsync(CancellationToken.None).AsTask();

        var firstLease = await first.WaitAsync(Patience);
        Assert.False(second.IsCompleted);
        Assert.False(newcomer.IsCompleted);
        firstLease.Dispose();
        using var secondLease = await second.WaitAsync(Patience);
        Assert.False(newcomer.IsCompleted);
    }

    [Fact]
    public async Task Calls_arriving_during_a_pause_wait_for_its_end_even_with_free_slots()
    {
        var gate = new ConcurrencyGate(4, TimeSpan.FromSeconds(60), _time);
        for (var i = 0; i < 4; i++)
        {
            gate.RateLimited(TimeSpan.FromSeconds(3));
        }

        var waiting = Enumerable.Range(0, 3).Select(_ => gate.EnterAsync(CancellationToken.None).AsTask()).ToList();
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.All(waiting, w => Assert.False(w.IsCompleted));

        _time.Advance(TimeSpan.FromSeconds(1));

        // The limit was halved to 2: two get in, the third waits for one of them.
        await Task.WhenAll(waiting.Take(2)).WaitAsync(Patience);
        Assert.False(waiting[2].IsCompleted);
        (await waiting[0]).Dispose();
        using var third = await waiting[2].WaitAsync(Patience);
        Assert.Equal(2, gate.InFlight);
    }

    [Fact]
    public void A_stray_429_does_not_throttle_anyone()
    {
        var gate = new ConcurrencyGate(12, TimeSpan.FromSeconds(60), _time);
        for (var i = 0; i < 100; i++)
        {
            var limited = i % 5 == 0;
            if (limited)
            {
                Assert.Equal((false, 12, TimeSpan.Zero), gate.RateLimited(TimeSpan.FromSeconds(1)));
            }
            else
            {
                gate.Answered(success: true);
            }
        }

        Assert.Equal(12, gate.Limit);
    }

    [Fact]
    public async Task When_most_answers_are_429_the_limit_is_halved_once_per_burst_and_new_calls_wait_for_the_retry_after()
    {
        var gate = new ConcurrencyGate(4, TimeSpan.FromSeconds(60), _time);
        for (var i = 0; i < 3; i++)
        {
            Assert.False(gate.RateLimited(TimeSpan.FromSeconds(2)).Throttled); // too few answers to judge
        }

        Assert.Equal((true, 2, TimeSpan.FromSeconds(2)), gate.RateLimited(TimeSpan.FromSeconds(2)));
        Assert.Equal(2, gate.RateLimited(TimeSpan.FromSeconds(1)).Limit); // same burst: no second halving

        var waiting = gate.EnterAsync(CancellationToken.None).AsTask();
        _time.Advance(TimeSpan.FromMilliseconds(1_999));
        Assert.False(waiting.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        using var lease = await waiting.WaitAsync(Patience);

        Assert.Equal(1, gate.RateLimited(null).Limit); // a later burst halves again
    }

    [Fact]
    public void The_limit_never_drops_below_one_and_a_retry_after_is_capped()
    {
        var gate = new ConcurrencyGate(2, TimeSpan.FromSeconds(10), _time);
        for (var i = 0; i < 10; i++)
        {
            var (throttled, limit, pause) = gate.RateLimited(TimeSpan.FromHours(1));
            if (throttled)
            {
                Assert.Equal(TimeSpan.FromSeconds(10), pause);
                Assert.Equal(1, limit);
                _time.Advance(pause);
            }
        }

        Assert.Equal(1, gate.Limit);
    }

    [Fact]
    public void Successes_raise_the_limit_back_one_step_per_round_up_to_the_maximum()
    {
        var gate = new ConcurrencyGate(4, TimeSpan.FromSeconds(60), _time);
        AnswerManyWith429(gate, 4);

        Assert.Equal(2, gate.Limit);
        gate.Answered(success: true);
        Assert.Equal(2, gate.Limit);
        gate.Answered(success: false);
        gate.Answered(success: true);
        Assert.Equal(3, gate.Limit);
        for (var i = 0; i < 20; i++)
        {
            gate.Answered(success: true);
        }

        Assert.Equal(4, gate.Limit);
    }

    [Fact]
    public async Task A_cancelled_waiter_leaves_the_queue_and_the_next_one_gets_the_slot()
    {
        var gate = new ConcurrencyGate(1, TimeSpan.FromSeconds(60), _time);
        var held = await gate.EnterAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var cancelled = gate.EnterAsync(cancel.Token).AsTask();
        var next = gate.EnterAsync(CancellationToken.None).AsTask();

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        held.Dispose();

        using var lease = await next.WaitAsync(Patience);
        Assert.Equal(1, gate.InFlight);
    }

    [Fact]
    public async Task Raising_the_limit_lets_waiting_calls_in()
    {
        var gate = new ConcurrencyGate(2, TimeSpan.FromSeconds(60), _time);
        AnswerManyWith429(gate, 4);

        Assert.Equal(1, gate.Limit);
        _time.Advance(TimeSpan.FromSeconds(1)); // a Retry-After of zero still pauses the gate for a second
        using var first = await gate.EnterAsync(CancellationToken.None);
        var waiting = gate.EnterAsync(CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);

        gate.Answered(success: true);

        using var lease = await waiting.WaitAsync(Patience);
        Assert.Equal(2, gate.InFlight);
    }

    /// <summary>Enough 429s in a row for the gate to judge that most answers are 429.</summary>
    private static void AnswerManyWith429(ConcurrencyGate gate, int count)
    {
        for (var i = 0; i < count; i++)
        {
            gate.RateLimited(TimeSpan.Zero);
        }
    }
}
