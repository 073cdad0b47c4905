using CanvasLearning.Execution;
using CanvasLearning.Sessions;

namespace CanvasLearning.Hosting;

/// <summary>
/// Opens the store before anything is served, resumes the sessions a previous process left
/// unfinished, and on shutdown stops the engine so those sessions resume next time.
/// </summary>
internal sealed partial class EngineLifetime(ISessionStore store, BatchEngine engine, ILogger<EngineLifetime> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.InitializeAsync(cancellationToken);
        var unfinished = await store.ListUnfinishedAsync(cancellationToken);
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

    [LoggerMessage(1020, LogLevel.Information, "Resuming {Count} unfinished session(s)")]
    private static partial void LogResuming(ILogger logger, int count);
}
