using System.CommandLine;
using CanvasLearning.Canvas;
using CanvasLearning.Cli.Remote;
using CanvasLearning.Execution;

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
        var canvas = new Option<string?>("--canvas") { Description = "Canvas file relative to the vault (default: the only .canvas file at the vault root; needed with --server)" };
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
        var yes = new Option<bool>("--yes", "-y") { Description = "Start without asking (it asks only when a person is at the terminal)" };
        var server = ServerOptions.ForRun();
        var command = new Command("run", "Explain the marked concepts of one canvas now: the groups, a confirmation, live progress, then where the results are. " + ExitCodes.Help)
        {
            vault, canvas, color, maxGroups, maxConcurrent, timeout, latency, provider, force, maxPerSession, yes,
        };
        server.AddTo(command);
        command.SetAction((result, cancellationToken) =>
        {
            var args = new RunArguments(
                result.GetValue(vault), result.GetValue(canvas), result.GetValue(color)!, result.GetValue(maxGroups),
                result.GetValue(maxConcurrent), result.GetValue(timeout) ?? ConfirmPlan.DefaultTimeout, result.GetValue(latency), result.GetValue(provider),
                result.GetValue(force), result.GetValue(maxPerSession), result.GetValue(yes), result.GetValue(server.Json));
            if (args.Json)
            {
                Say.ToStandardError();
            }

            return result.GetValue(server.Server) is null
                ? RunLocal.ExecuteAsync(args, cancellationToken)
                : RunRemote.ExecuteAsync(args, server, result, cancellationToken);
        });
        return command;
    }
}

internal sealed record RunArguments(
    DirectoryInfo? Vault, string? Canvas, string Color, int? MaxGroups, int? MaxConcurrent, int Timeout, int? OfflineLatencyMs, string? Provider,
    bool Force, int? MaxPerSession, bool Yes, bool Json);
