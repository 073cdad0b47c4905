using System.CommandLine;
using CanvasLearning.Api;
using CanvasLearning.Api.Contracts;
using CanvasLearning.Execution;
using CanvasLearning.Grouping;
using CanvasLearning.Sessions;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace CanvasLearning.Cli;

internal static class RunCommand
{
    public static Command Create()
    {
        var vault = new Option<DirectoryInfo?>("--vault") { Description = "Vault folder (default: a fresh copy of the bundled sample in ./canvas-learning-sample)" };
        var canvas = new Option<string?>("--canvas") { Description = "Canvas file relative to the vault (default: the only .canvas file at the vault root)" };
        var color = new Option<string>("--color") { Description = "Color of the nodes to explain: \"1\"..\"6\" or #rrggbb", DefaultValueFactory = _ => "3" };
        var maxGroups = new Option<int?>("--max-groups") { Description = "Fixed number of groups (default: chosen by silhouette)" };
        var maxConcurrent = new Option<int?>("--max-concurrent") { Description = "Agent calls at once for this run, 1..50 (default: Engine:MaxConcurrentNodes, 12)" };
        var timeout = new Option<int>("--timeout") { Description = "Session timeout in seconds, 60..3600", DefaultValueFactory = _ => 600 };
        var latency = new Option<int>("--offline-latency-ms") { Description = "Simulated think time of the offline agent per node, to watch the parallelism", DefaultValueFactory = _ => 0 };
        var provider = new Option<string?>("--provider") { Description = "Agent provider for this run: offline, or openai once Agents:OpenAI:Model is set (default: Agents:Provider)" };
        var command = new Command("run", "Explain the marked concepts of one canvas now, printing progress as it goes")
        {
            vault, canvas, color, maxGroups, maxConcurrent, timeout, latency, provider,
        };
        command.SetAction((result, cancellationToken) => ExecuteAsync(new RunArguments(
            result.GetValue(vault), result.GetValue(canvas), result.GetValue(color)!, result.GetValue(maxGroups),
            result.GetValue(maxConcurrent), result.GetValue(timeout), result.GetValue(latency), result.GetValue(provider)), cancellationToken));
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
            Say.Line($"[red]error:[/] {ex.Message}");
            return 2;
        }

        if (!Directory.Exists(vaultRoot))
        {
            Say.Line($"[red]error:[/] vault folder '{vaultRoot}' does not exist; pass --vault <folder>");
            return 2;
        }

        var canvasPath = args.Canvas ?? FindOnlyCanvas(vaultRoot);
        if (canvasPath is null)
        {
            Say.Line($"[red]error:[/] no single .canvas file at the root of '{vaultRoot}'; pass --canvas <path relative to the vault>");
            return 2;
        }

        using var host = CliHost.Build(vaultRoot, args.OfflineLatencyMs);
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch (OptionsValidationException ex)
        {
            Say.Line($"[red]error (configuration):[/] {Markup.Escape(string.Join("; ", ex.Failures))}");
            return 2;
        }

        try
        {
            var service = host.Services.GetRequiredService<BatchService>();
            Say.Line($"Vault  [bold]{vaultRoot}[/]");
            var analysis = await service.AnalyzeAsync(new AnalyzeRequest(canvasPath, args.Color, args.MaxGroups), cancellationToken);
            RunReporter.PrintGroups(analysis);
            if (analysis.TotalNodes == 0)
            {
                Say.Line($"No text nodes of color {args.Color} on {canvasPath}: nothing to explain.");
                return 0;
            }

            var groups = analysis.Groups.Select(g => new ConfirmGroup(g.GroupId, g.RecommendedAgent, g.Nodes.Select(n => n.NodeId).ToList())).ToList();
            var snapshot = await service.ConfirmAsync(new ConfirmRequest(analysis.CanvasPath, groups, args.MaxConcurrent, args.Timeout, args.Provider), cancellationToken);
            var store = host.Services.GetRequiredService<ISessionStore>();
            var engine = host.Services.GetRequiredService<BatchEngine>();
            var final = await RunReporter.FollowAsync(snapshot.Session.SessionId, store, engine, service, cancellationToken);
            RunReporter.PrintSummary(final, vaultRoot);
            return final.Session.Status == SessionStatus.Completed ? 0 : 1;
        }
        catch (RequestException ex)
        {
            Say.Line($"[red]error ({ex.Error}):[/] {ex.Message}");
            return 2;
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
        DirectoryInfo? Vault, string? Canvas, string Color, int? MaxGroups, int? MaxConcurrent, int Timeout, int OfflineLatencyMs, string? Provider);
}
