namespace CanvasLearning.Agents.OpenAi;

/// <summary>
/// How many calls may be in flight to one endpoint, adapted to what it says: a 429 halves the
/// limit and pauses every new attempt until its <c>Retry-After</c> has passed; each run of
/// successes as long as the limit raises it by one again (additive increase, multiplicative
/// decrease). So a provider that throttles everyone slows the whole engine down instead of
/// failing node after node.
/// </summary>
public sealed class ConcurrencyGate
{
    private static readonly TimeSpan DefaultPause = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private readonly LinkedList<TaskCompletionSource> _waiters = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _maxPause;
    private int _limit;
    private int _inFlight;
    private int _successes;
    private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;

    public ConcurrencyGate(int maxConcurrent, TimeSpan maxPause, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrent, 1);
        Max = maxConcurrent;
        _limit = maxConcurrent;
        _maxPause = maxPause;
        _time = timeProvider;
    }

    public int Max { get; }

    /// <summary>Calls allowed in flight right now.</summary>
    public int Limit
    {
        get
        {
            lock (_lock)
            {
                return _limit;
            }
        }
    }

    public int InFlight
    {
        get
        {
            lock (_lock)
            {
                return _inFlight;
            }
        }
    }

    /// <summary>Waits for a free slot outside any pause; dispose the lease when the attempt ends.</summary>
    public async ValueTask<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan pause;
            TaskCompletionSource? waiter = null;
            LinkedListNode<TaskCompletionSource>? node = null;
            lock (_lock)
            {
                pause = _pausedUntil - _time.GetUtcNow();
                if (pause <= TimeSpan.Zero)
                {
                    if (_inFlight < _limit)
                    {
                        _inFlight++;
                        WakeLocked();
                        return new Lease(this);
                    }

                    waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    node = _waiters.AddLast(waiter);
                }
            }

            if (waiter is null)
            {
                await Task.Delay(pause, _time, cancellationToken);
                continue;
            }

            try
            {
                await waiter.Task.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                lock (_lock)
                {
                    if (node!.List is not null)
                    {
                        _waiters.Remove(node);
                    }
                    else
                    {
                        // Woken and cancelled at once: hand the wake-up on so no slot stays idle.
                        WakeLocked();
                    }
                }

                throw;
            }
        }
    }

    /// <summary>The endpoint answered 429. Returns the new limit and how long new attempts now wait.</summary>
    public (int Limit, TimeSpan Pause) RateLimited(TimeSpan? retryAfter)
    {
        var pause = retryAfter is { } asked ? (asked < TimeSpan.Zero ? TimeSpan.Zero : asked > _maxPause ? _maxPause : asked) : DefaultPause;
        lock (_lock)
        {
            var now = _time.GetUtcNow();

            // One burst of 429s (the answers to calls that were already in flight) halves the limit once.
            if (now >= _pausedUntil)
            {
                _limit = Math.Max(1, _limit / 2);
            }

            _successes = 0;
            if (now + pause > _pausedUntil)
            {
                _pausedUntil = now + pause;
            }

            return (_limit, _pausedUntil - now);
        }
    }

    /// <summary>An attempt succeeded: after as many successes as the limit, the limit grows by one.</summary>
    public void Succeeded()
    {
        lock (_lock)
        {
            if (_limit < Max && ++_successes >= _limit)
            {
                _limit++;
                _successes = 0;
                WakeLocked();
            }
        }
    }

    private void Release()
    {
        lock (_lock)
        {
            _inFlight--;
            WakeLocked();
        }
    }

    // Wakes as many waiters as there are free slots; each checks again for itself.
    private void WakeLocked()
    {
        var free = _limit - _inFlight;
        while (free-- > 0 && _waiters.First is { } first)
        {
            _waiters.RemoveFirst();
            first.Value.TrySetResult();
        }
    }

    private sealed class Lease(ConcurrencyGate gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
