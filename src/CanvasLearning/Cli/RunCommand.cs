using System.CommandLine;
using CanvasLearning.Agents;
using CanvasLearning.Api;
using CanvasLearning.Api.Contracts;
using CanvasLearning.Execution;
using CanvasLearning.Grouping;
using CanvasLearning.Sessions;

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
        var color = new Option<string>("--color") { Description = "Color of the nodes to explain: \"1\"..\"6\" or #rrggbb", DefaultValueFactory = _ => "3" };
        color.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string>() is { } value && !IsCanvasColor(value))
            {
                r.AddError($"--color '{value}' is not a canvas color; use a preset \"1\"..\"6\" (\"3\" is the default) or a hex color #rrggbb");
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
        var command = new Command("run", "Explain the marked concepts of one canvas now, printing progress as it goes")
        {
            vault, canvas, color, maxGroups, maxConcurrent, timeout, latency, provider,
        };
        command.SetAction((result, cancellationToken) => ExecuteAsync(new RunArguments(
            result.GetValue(vault), result.GetValue(canvas), result.GetValue(color)!, result.GetValue(maxGroups),
            result.GetValue(maxConcurrent), result.GetValue(timeout) ?? ConfirmPlan.DefaultTimeout, result.GetValue(latency), result.GetValue(provider)), cancellationToken));
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

    /// <summary>As the analyze request accepts it: a preset "1".."6" or #rrggbb.</summary>
    private static bool IsCanvasColor(string color) =>
        color is "1" or "2" or "3" or "4" or "5" or "6"
        || (color.Length == 7 && color[0] == '#' && color.Skip(1).All(Uri.IsHexDigit));

    private sealed record RunArguments(
        DirectoryInfo? Vault, string? Canvas, string Color, int? MaxGroups, int? MaxConcurrent, int Timeout, int? OfflineLatencyMs, string? Provider);
}
