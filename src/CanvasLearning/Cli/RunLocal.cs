using CanvasLearning.Cli.Live;
using CanvasLearning.Execution;
using CanvasLearning.Sessions;
using Microsoft.Extensions.Options;
using Spectre.Console;

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
            Say.Line($"[red]error:[/] {ex.Message}");
            return ExitCodes.Error;
        }

        if (!Directory.Exists(vaultRoot))
        {
            Say.Line($"[red]error:[/] vault folder '{vaultRoot}' does not exist; pass --vault <folder>");
            return ExitCodes.Error;
        }

        var canvasPath = args.Canvas ?? FindOnlyCanvas(vaultRoot);
        if (canvasPath is null)
        {
            Say.Line($"[red]error:[/] no single .canvas file at the root of '{vaultRoot}'; pass --canvas <path relative to the vault>");
            return ExitCodes.Error;
        }

        using var host = CliHost.Build(vaultRoot, args.OfflineLatencyMs);
        IReadOnlyList<string> unfinished;
        try
        {
            // Read before the host starts: its engine resumes these at once, and may finish them before we look.
            var sessions = host.Services.GetRequiredService<ISessionStore>();
            await sessions.InitializeAsync(cancellationToken);
            unfinished = await sessions.ListUnfinishedAsync(cancellationToken);
            await host.StartAsync(cancellationToken);
        }
        catch (OptionsValidationException ex)
        {
            Say.Line($"[red]error (configuration):[/] {Markup.Escape(string.Join("; ", ex.Failures))}");
            return ExitCodes.Error;
        }

        try
        {
            var services = host.Services;
            var engine = services.GetRequiredService<BatchEngine>();
            var store = services.GetRequiredService<ISessionStore>();
            var backend = new LocalBackend(services.GetRequiredService<BatchService>(), store, engine, vaultRoot);
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
