using CanvasLearning.Api;
using CanvasLearning.Api.Contracts;
using CanvasLearning.Execution;
using CanvasLearning.Grouping;
using CanvasLearning.Sessions;

namespace CanvasLearning.Cli.Live;

/// <summary>The engine of this process (<c>run</c> without <c>--server</c>): events read from the session's log as the bus signals them.</summary>
internal sealed class LocalBackend(BatchService service, ISessionStore store, IEventBus bus, BatchEngine engine, string vaultRoot, TimeProvider time) : ISessionBackend
{
    public bool IsRemote => false;

    public TimeProvider Time => time;

    public Task<AnalyzeResponse> AnalyzeAsync(AnalyzeRequest request, CancellationToken cancellationToken) =>
        service.AnalyzeAsync(request, cancellationToken);

    public async Task<(string SessionId, IReadOnlyList<SkippedNode> Skipped)> ConfirmAsync(ConfirmRequest request, CancellationToken cancellationToken)
    {
        var (snapshot, skipped) = await service.ConfirmAsync(request, cancellationToken);
        return (snapshot.Session.SessionId, skipped);
    }

    public async Task<SessionStatusResponse> GetAsync(string sessionId, CancellationToken cancellationToken) =>
        SessionViews.Status(await service.GetAsync(sessionId, cancellationToken));

    public async Task FollowAsync(SessionView view, CancellationToken cancellationToken)
    {
        // A fresh wake-up before each read: an event committed while reading cuts the next wait short.
        var more = NewWakeUp();
        using var subscription = bus.Subscribe(view.SessionId, _ => Volatile.Read(ref more).TrySetResult());
        while (!view.Ended)
        {
            var wake = NewWakeUp();
            Volatile.Write(ref more, wake);
            // Not cancelled mid-read: a stop is seen at the wait below, and an interrupted SQLite read is not worth the risk.
            foreach (var e in await store.ReadEventsAsync(view.SessionId, view.LastSeq, 1_000, CancellationToken.None))
            {
                if (FeedEvent.Parse(e.Json) is { } parsed)
                {
                    view.Apply(parsed);
                }
            }

            if (!view.Ended)
            {
                // The bus says when there is more; the timeout only guards against a missed signal.
                if (!wake.Task.IsCompleted)
                {
                    using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    await Task.WhenAny(wake.Task, Task.Delay(TimeSpan.FromSeconds(1), time, timer.Token));
                    await timer.CancelAsync();
                }

                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        await engine.WaitAsync(view.SessionId, cancellationToken);
    }

    public Task CancelAsync(string sessionId, CancellationToken cancellationToken) => service.CancelAsync(sessionId, cancellationToken);

    public async Task<string?> ProviderAsync(string sessionId, CancellationToken cancellationToken) =>
        (await service.GetAsync(sessionId, cancellationToken)).Session.AgentProvider;

    public string Show(string vaultRelativePath) => Path.Combine(vaultRoot, vaultRelativePath);

    public string StoppedHint(string sessionId) =>
        $"Stopped: the local engine stopped and session {sessionId} is left unfinished; the next `canvas-learning run --vault {vaultRoot}` resumes it (finished nodes are kept).";

    private static TaskCompletionSource NewWakeUp() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
