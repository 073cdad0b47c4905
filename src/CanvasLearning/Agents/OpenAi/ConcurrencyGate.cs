namespace CanvasLearning.Agents.OpenAi;

/// <summary>
/// How many calls may be in flight to one endpoint, adapted to what it says. A stray 429 only
/// delays its own call (the retry honours its <c>Retry-After</c>). When most recent answers are
/// 429 (the provider throttles everyone) the limit is halved and every new attempt waits until
/// the <c>Retry-After</c> has passed; each run of successes as long as the limit then raises it by
/// one again (additive increase, multiplicative decrease). So the whole engine slows down instead
/// of failing node after node.
/// </summary>
public sealed class ConcurrencyGate : IDisposable
{
    private static readonly TimeSpan DefaultPause = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private readonly LinkedList<TaskCompletionSource> _waiters = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _maxPause;
    private int _limit;
    private int _inFlight;
    private int _successes;
    // A monotonic timestamp (TimeProvider.GetTimestamp), so a wall-clock jump cannot stretch a pause.
    private long _pausedUntil = long.MinValue;
    private ITimer? _pauseTimer;

    // The latest answers, true for a 429: a ring of twice the maximum (at least 8).
    private readonly bool[] _recent;
    private readonly int _minSamples;
    private int _recentCount;
    private int _recentNext;
    private int _recentLimited;

    public ConcurrencyGate(int maxConcurrent, TimeSpan maxPause, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrent, 1);
        Max = maxConcurrent;
        _limit = maxConcurrent;
        _maxPause = maxPause;
        _time = timeProvider;
        _recent = new bool[Math.Max(8, 2 * maxConcurrent)];
        _minSamples = Math.Max(4, maxConcurrent);
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

    /// <summary>Attempts waiting for a slot right now.</summary>
    public int Waiting
    {
        get
        {
            lock (_lock)
            {
                return _waiters.Count;
            }
        }
    }

    /// <summary>
    /// Waits for a free slot outside any pause, first come first served; dispose the lease when the
    /// attempt ends. A waiter is handed its slot directly, so a newcomer cannot take it first.
    /// </summary>
    public async ValueTask<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource waiter;
        LinkedListNode<TaskCompletionSource> node;
        lock (_lock)
        {
            if (_waiters.Count == 0 && _inFlight < _limit && !PausedLocked())
            {
                _inFlight++;
                return new Lease(this);
            }

            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            node = _waiters.AddLast(waiter);

            // Grants it at once when only other waiters were in the way and slots are free; arms the pause timer otherwise.
            WakeLocked();
        }

        try
        {
            await waiter.Task.WaitAsync(cancellationToken);
            return new Lease(this);
        }
        catch (OperationCanceledException)
        {
            lock (_lock)
            {
                if (node.List is not null)
                {
                    _waiters.Remove(node);
                }
                else
                {
                    // Handed a slot and cancelled at once: give the slot to the next in line.
                    _inFlight--;
                    WakeLocked();
                }
            }

            throw;
        }
    }

    /// <summary>
    /// The endpoint answered 429. When most of the recent answers were 429, the limit is halved
    /// (once per burst) and new attempts pause for <paramref name="retryAfter"/> (capped; 1 s when absent).
    /// </summary>
    /// <returns>Whether the gate throttled, the limit now and how long new attempts wait.</returns>
    public (bool Throttled, int Limit, TimeSpan Pause) RateLimited(TimeSpan? retryAfter)
    {
        // "Retry-After: 0" (or a date already past) would make the pause, and the once-per-burst halving, vanish.
        var pause = retryAfter is { } asked && asked > TimeSpan.Zero ? (asked > _maxPause ? _maxPause : asked) : DefaultPause;
        lock (_lock)
        {
            Record(limited: true);
            _successes = 0;
            if (_recentCount < _minSamples || _recentLimited * 2 <= _recentCount)
            {
                return (false, _limit, TimeSpan.Zero);
            }

            // One burst of 429s (the answers to calls that were already in flight) halves the limit once.
            var now = _time.GetTimestamp();
            if (now >= _pausedUntil)
            {
                _limit = Math.Max(1, _limit / 2);
            }

            var until = now + (long)(pause.TotalSeconds * _time.TimestampFrequency);
            if (until > _pausedUntil)
            {
                _pausedUntil = until;
            }

            return (true, _limit, Remaining(now));
        }
    }

    /// <summary>
    /// The endpoint answered something other than 429. After as many successes in a row as the
    /// limit, the limit grows by one.
    /// </summary>
    public void Answered(bool success)
    {
        lock (_lock)
        {
            Record(limited: false);
            if (success && _limit < Max && ++_successes >= _limit)
            {
                _limit++;
                _successes = 0;
                WakeLocked();
            }
        }
    }

    private void Record(bool limited)
    {
        if (_recentCount == _recent.Length)
        {
            _recentLimited -= _recent[_recentNext] ? 1 : 0;
        }
        else
        {
            _recentCount++;
        }

        _recent[_recentNext] = limited;
        _recentLimited += limited ? 1 : 0;
        _recentNext = (_recentNext + 1) % _recent.Length;
    }

    private void Release()
    {
        lock (_lock)
        {
            _inFlight--;
            WakeLocked();
        }
    }

    // Hands free slots to the waiters in order, unless a pause holds them: then a timer wakes them when it ends.
    private void WakeLocked()
    {
        var pause = Remaining(_time.GetTimestamp());
        if (pause > TimeSpan.Zero)
        {
            if (_waiters.Count > 0)
            {
                _pauseTimer ??= _time.CreateTimer(_ => WakeAfterPause(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                _pauseTimer.Change(pause, Timeout.InfiniteTimeSpan);
            }

            return;
        }

        while (_inFlight < _limit && _waiters.First is { } first)
        {
            _waiters.RemoveFirst();
            _inFlight++;
            first.Value.TrySetResult();
        }
    }

    private void WakeAfterPause()
    {
        lock (_lock)
        {
            WakeLocked();
        }
    }

    private bool PausedLocked() => _time.GetTimestamp() < _pausedUntil;

    private TimeSpan Remaining(long now) =>
        now >= _pausedUntil ? TimeSpan.Zero : TimeSpan.FromSeconds((_pausedUntil - now) / (double)_time.TimestampFrequency);

    public void Dispose()
    {
        lock (_lock)
        {
            _pauseTimer?.Dispose();
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
