namespace CanvasLearning.Execution;

/// <summary>
/// A session's <c>timeout</c> (the confirm field), for one run. It starts counting when the first
/// node of the run has a server-wide slot and begins its agent call, not when the run begins: a
/// session queued behind others for <see cref="EngineOptions.MaxConcurrentNodes"/> must not time out
/// having run nothing. From then on it counts for the whole run, nodes still queued included.
/// </summary>
internal sealed class SessionTimeout : IDisposable
{
    private readonly TimeSpan _limit;

    // Created without a deadline but on the injected clock, so CancelAfter below runs on that clock
    // too (a FakeTimeProvider in tests).
    private readonly CancellationTokenSource _expiry;
    private int _started;

    public SessionTimeout(TimeSpan limit, TimeProvider timeProvider)
    {
        _limit = limit;
        _expiry = new CancellationTokenSource(Timeout.InfiniteTimeSpan, timeProvider);
    }

    /// <summary>Cancelled when the timeout has run out.</summary>
    public CancellationToken Token => _expiry.Token;

    public bool Expired => _expiry.IsCancellationRequested;

    /// <summary>Starts the count on the first call; later calls change nothing.</summary>
    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            _expiry.CancelAfter(_limit);
        }
    }

    public void Dispose() => _expiry.Dispose();
}
