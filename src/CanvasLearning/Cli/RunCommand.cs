using System.CommandLine;
using CanvasLearning.Agents;
using CanvasLearning.Api;
using CanvasLearning.Api.Contracts;
using CanvasLearning.Canvas;
using CanvasLearning.Execution;
using CanvasLearning.Grouping;
using CanvasLearning.Sessions;
using Microsoft.Extensions.Options;

namespace CanvasLearning.Cli;

internal static class RunCommand
{
    public static Command Create()
    {
        var vault = new Option<DirectoryInfo?>("--vault") { Description = "Vault folder (default: a fresh copy of the bundled sample in ./canvas-learning-sample)" };
        vault.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<DirectoryInfo?>() is { Exists: false } missing)
            {
                r.AddError($"--vault '{missing.FullName}' does not exist; pass the folder of your Obsidian vault, or leave it out to try the bundled sample");
            }
        });
        var canvas = new Option<string?>("--canvas") { Description = "Canvas file relative to the vault (default: the only .canvas file at the vault root)" };
        var color = new Option<string>("--color") { Description = "Color of the nodes to explain: \"1\"..\"6\" (red, orange, yellow, green, cyan, purple in Obsidian), a color name, or #rrggbb; default \"3\" (yellow)", DefaultValueFactory = _ => "3" };
        color.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string>() is { } value && !CanvasColors.TryNormalize(value, out _))
            {
                r.AddError($"--color '{value}' is not a canvas color; use {CanvasColors.Accepted} (\"3\", yellow, is the default)");
            }
        });
        var maxGroups = WholeNumberOption.Create("--max-groups", "Fixed number of groups, 1..50 (default: chosen by silhouette)", 1, 50);
        var maxConcurrent = WholeNumberOption.Create("--max-concurrent", $"Agent calls at once for this run, 1..{ConfirmPlan.MaxConcurrentLimit} (default: Engine:MaxConcurrentNodes, 12)",
            1, ConfirmPlan.MaxConcurrentLimit);
        var timeout = WholeNumberOption.Create("--timeout", $"Session timeout in seconds, {ConfirmPlan.MinTimeout}..{ConfirmPlan.MaxTimeout}",
            ConfirmPlan.MinTimeout, ConfirmPlan.MaxTimeout, ConfirmPlan.DefaultTimeout, " seconds");
        var latency = WholeNumberOption.Create("--offline-latency-ms",
            "Simulated think time of the offline agent per node, to watch the parallelism (default: Agents:Offline:SimulatedLatencyMilliseconds, 0)", 0, 600_000);
        var provider = new Option<string?>("--provider") { Description = "Agent provider for this run: offline, or openai once Agents:OpenAI:Model is set (default: Agents:Provider)" };
        var force = new Option<bool>("--force") { Description = "Write the explanations of concepts that have one again, in place (same file, same canvas node)" };
        var maxPerSession = new Option<int?>("--max-per-session") { Description = "Split the concepts into sessions of at most this many, run one after another (default: Engine:MaxNodesPerSession, 1000)" };
        var command = new Command("run", "Explain the marked concepts of one canvas now, printing progress as it goes")
        {
            vault, canvas, color, maxGroups, maxConcurrent, timeout, latency, provider, force, maxPerSession,
        };
        command.SetAction((result, cancellationToken) => ExecuteAsync(new RunArguments(
            result.GetValue(vault), result.GetValue(canvas), result.GetValue(color)!, result.GetValue(maxGroups),
            result.GetValue(maxConcurrent), result.GetValue(timeout) ?? ConfirmPlan.DefaultTimeout, result.GetValue(latency), result.GetValue(provider),
            result.GetValue(force), result.GetValue(maxPerSession)), cancellationToken));
        return command;
    }

    private static async Task<int> ExecuteAsync(RunArguments args, CancellationToken cancellationToken)
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
        IHost host;
        try
        {
            host = CliHost.Build(builder);
        }
        catch (Exception ex) when (Refusal.Describe(ex, builder.Configuration) is { Count: > 0 } problems)
        {
            return Refusal.Report(problems);
        }

        using (host)
        {
            await host.StartAsync(cancellationToken);
            return await RunAsync(host, vaultRoot, canvasPath, args, cancellationToken);
        }
    }

    private static async Task<int> RunAsync(IHost host, string vaultRoot, string canvasPath, RunArguments args, CancellationToken cancellationToken)
    {
        try
        {
            if (args.Provider is { } name && host.Services.GetRequiredService<AgentProviders>() is var providers && providers.Find(name) is null)
            {
                return Refusal.Report([$"--provider '{name}' is not available; use one of: {string.Join(", ", providers.Names)} (openai needs Agents:OpenAI:Model)"]);
            }

            var service = host.Services.GetRequiredService<BatchService>();
            Say.Line($"Vault  [bold]{vaultRoot}[/]");
            var analysis = await service.AnalyzeAsync(new AnalyzeRequest(canvasPath, args.Color, args.MaxGroups), cancellationToken);
            RunReporter.PrintGroups(analysis);
            RunReporter.PrintSkipped(analysis, args.Force);
            if (analysis.TotalNodes == 0)
            {
                Say.Line($"No text nodes of color {args.Color} to explain on {canvasPath}: nothing to do.");
                return 0;
            }

            var limit = args.MaxPerSession ?? host.Services.GetRequiredService<IOptions<EngineOptions>>().Value.MaxNodesPerSession;
            var sessions = RunPlan.Sessions(analysis, args.Force, Math.Max(1, limit));
            if (sessions.Count == 0)
            {
                Say.Line($"Every concept of {canvasPath} is explained already; nothing changed. --force writes them again in place.");
                return 0;
            }

            var store = host.Services.GetRequiredService<ISessionStore>();
            var engine = host.Services.GetRequiredService<BatchEngine>();
            var exit = 0;
            for (var i = 0; i < sessions.Count && !cancellationToken.IsCancellationRequested; i++)
            {
                if (sessions.Count > 1)
                {
                    Say.Line($"Session {i + 1} of {sessions.Count}: {sessions[i].Sum(g => g.NodeIds!.Count)} concepts");
                }

                var (snapshot, _) = await service.ConfirmAsync(new ConfirmRequest(analysis.CanvasPath, sessions[i], args.MaxConcurrent, args.Timeout, args.Provider, args.Force), cancellationToken);
                var final = await RunReporter.FollowAsync(snapshot.Session.SessionId, store, engine, service, cancellationToken);
                RunReporter.PrintSummary(final, vaultRoot);
                exit = final.Session.Status == SessionStatus.Completed ? exit : 1;
            }

            return exit;
        }
        catch (RequestException ex)
        {
            Say.Line($"[red]error ({ex.Error}):[/] {ex.Message}");
            return Refusal.ExitCode;
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    private static string? FindOnlyCanvas(string vaultRoot)
    {
        var canvases = Directory.GetFiles(vaultRoot, "*.canvas");
        return canvases.Length == 1 ? Path.GetFileName(canvases[0]) : null;
    }

    private sealed record RunArguments(
        DirectoryInfo? Vault, string? Canvas, string Color, int? MaxGroups, int? MaxConcurrent, int Timeout, int? OfflineLatencyMs, string? Provider,
        bool Force, int? MaxPerSession);
}
