using CanvasLearning.Sessions;

namespace CanvasLearning.Execution;

/// <summary>
/// Opens the store before anything is served, resumes the sessions a previous process left
/// unfinished, and on shutdown stops the engine so those sessions resume next time.
/// </summary>
internal sealed partial class EngineLifetime(ISessionStore store, BatchEngine engine, IHostApplicationLifetime lifetime, ILogger<EngineLifetime> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.InitializeAsync(cancellationToken);

        // Resume only once the host has fully started: a server that fails to start (its port is
        // taken by the running instance, say) must not run that instance's sessions beside it.
        lifetime.ApplicationStarted.Register(() => _ = ResumeAsync(lifetime.ApplicationStopping));
    }

    private async Task ResumeAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<string> unfinished;
        try
        {
            unfinished = await store.ListUnfinishedAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogResumeFailed(logger, ex);
            return;
        }

        if (unfinished.Count > 0)
        {
            LogResuming(logger, unfinished.Count);
            foreach (var id in unfinished)
            {
                engine.Start(id);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => engine.StopAsync(cancellationToken);

    [LoggerMessage(1021, LogLevel.Error, "Could not read the unfinished sessions to resume; they resume on the next start")]
    private static partial void LogResumeFailed(ILogger logger, Exception exception);

    [LoggerMessage(1020, LogLevel.Information, "Resuming {Count} unfinished session(s)")]
    private static partial void LogResuming(ILogger logger, int count);
}
