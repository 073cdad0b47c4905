using CanvasLearning.Agents;
using CanvasLearning.Cli.Live;
using CanvasLearning.Execution;
using CanvasLearning.Sessions;
using Microsoft.Extensions.Options;

namespace CanvasLearning.Cli;

/// <summary><c>run</c> without <c>--server</c>: the engine in this process over a vault folder; a session stopped earlier resumes first.</summary>
internal static class RunLocal
{
    public static async Task<int> ExecuteAsync(RunArguments args, CancellationToken cancellationToken)
    {
        string vaultRoot;
        try
        {
            vaultRoot = args.Vault?.FullName ?? SampleVault.CopyTo("canvas-learning-sample");
        }
        catch (IOException ex)
        {
            return Refusal.Report([ex.Message]);
        }

        var canvasPath = args.Canvas ?? FindOnlyCanvas(vaultRoot);
        if (canvasPath is null)
        {
            return Refusal.Report([$"no single .canvas file at the root of '{vaultRoot}'; pass --canvas <path relative to the vault>"]);
        }

        var builder = CliHost.CreateBuilder(vaultRoot, args.OfflineLatencyMs);
        IHost built;
        try
        {
            built = CliHost.Build(builder);
        }
        catch (Exception ex) when (Refusal.Describe(ex, builder.Configuration) is { Count: > 0 } problems)
        {
            return Refusal.Report(problems);
        }

        using var host = built;
        if (args.Provider is { } name && host.Services.GetRequiredService<AgentProviders>() is var providers && providers.Find(name) is null)
        {
            return Refusal.Report([$"--provider '{name}' is not available; use one of: {string.Join(", ", providers.Names)} (openai needs Agents:OpenAI:Model)"]);
        }

        // Read before the host starts: its engine resumes these at once, and may finish them before we look.
        var sessions = host.Services.GetRequiredService<ISessionStore>();
        await sessions.InitializeAsync(cancellationToken);
        var unfinished = await sessions.ListUnfinishedAsync(cancellationToken);
        await host.StartAsync(cancellationToken);

        // Ctrl+C and SIGTERM reach the host (its console lifetime starts stopping it) as well as the
        // command: either one means "stop watching", so a watcher never waits on an engine that stops.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(
            cancellationToken, host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
        cancellationToken = stop.Token;
        try
        {
            var services = host.Services;
            var engine = services.GetRequiredService<BatchEngine>();
            var store = services.GetRequiredService<ISessionStore>();
            var backend = new LocalBackend(services.GetRequiredService<BatchService>(), store, services.GetRequiredService<IEventBus>(), engine, vaultRoot, services.GetRequiredService<TimeProvider>());
            Say.Line($"Vault  [bold]{vaultRoot}[/]");
            var exit = ExitCodes.Done;
            foreach (var id in unfinished)
            {
                // Left by a run that was stopped (Ctrl+C) or killed: finish it before planning anew.
                Say.Line($"Session [bold]{id}[/] was left unfinished by an earlier run: finishing it first.");
                engine.Start(id);
                var code = await RunFlow.FollowAsync(backend, id, args, [], cancellationToken, resumed: true);
                exit = ExitCodes.Worst(exit, code);
                if (code == ExitCodes.Cancelled)
                {
                    return exit;
                }
            }

            var limit = args.MaxPerSession ?? services.GetRequiredService<IOptions<EngineOptions>>().Value.MaxNodesPerSession;
            return ExitCodes.Worst(exit, await RunFlow.ExecuteAsync(backend, args, canvasPath, limit, cancellationToken));
        }
        finally
        {
            // A session still running here (watching stopped) is suspended, not ended: the next run resumes it.
            await host.StopAsync(CancellationToken.None);
        }
    }

    private static string? FindOnlyCanvas(string vaultRoot)
    {
        var canvases = Directory.GetFiles(vaultRoot, "*.canvas");
        return canvases.Length == 1 ? Path.GetFileName(canvases[0]) : null;
    }
}
