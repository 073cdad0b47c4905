namespace CanvasLearning.Execution;

/// <summary>One session being executed in this process.</summary>
internal sealed class SessionRun(string sessionId, CancellationToken stopping) : IDisposable
{
    public string SessionId { get; } = sessionId;

    /// <summary>Cancelled by a user's cancel request and by server shutdown.</summary>
    public CancellationTokenSource Cancellation { get; } = CancellationTokenSource.CreateLinkedTokenSource(stopping);

    /// <summary>Orders "write to the log, then publish" so live events leave in seq order.</summary>
    public SemaphoreSlim PublishGate { get; } = new(1, 1);

    public volatile bool CancelRequested;

    public Task Completion { get; set; } = Task.CompletedTask;

    public void Dispose()
    {
        Cancellation.Dispose();
        PublishGate.Dispose();
    }
}
