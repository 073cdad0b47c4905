using CanvasLearning.Canvas;

namespace CanvasLearning.Execution;

/// <summary>One session being executed in this process.</summary>
internal sealed class SessionRun(string sessionId, CancellationToken stopping) : IDisposable
{
    public string SessionId { get; } = sessionId;

    /// <summary>Cancelled by a user's cancel request and by server shutdown.</summary>
    public CancellationTokenSource Cancellation { get; } = CancellationTokenSource.CreateLinkedTokenSource(stopping);

    public volatile bool CancelRequested;

    public Task Completion { get; set; } = Task.CompletedTask;

    /// <summary>The canvas its confirm read (<see cref="BatchEngine.Start"/>), or null.</summary>
    public CanvasDocument? Confirmed { get; init; }

    public void Dispose() => Cancellation.Dispose();
}
