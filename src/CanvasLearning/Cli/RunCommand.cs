using System.CommandLine;
using CanvasLearning.Cli.Remote;

namespace CanvasLearning.Cli;

internal static class RunCommand
{
    public static Command Create()
    {
        var vault = new Option<DirectoryInfo?>("--vault") { Description = "Vault folder (default: a fresh copy of the bundled sample in ./canvas-learning-sample)" };
        var canvas = new Option<string?>("--canvas") { Description = "Canvas file relative to the vault (default: the only .canvas file at the vault root; needed with --server)" };
        var color = new Option<string>("--color") { Description = "Color of the nodes to explain: \"1\"..\"6\" or #rrggbb", DefaultValueFactory = _ => "3" };
        var maxGroups = new Option<int?>("--max-groups") { Description = "Fixed number of groups (default: chosen by silhouette)" };
        var maxConcurrent = new Option<int?>("--max-concurrent") { Description = "Agent calls at once for this run, 1..50 (default: Engine:MaxConcurrentNodes, 12)" };
        var timeout = new Option<int>("--timeout") { Description = "Session timeout in seconds, 60..3600", DefaultValueFactory = _ => 600 };
        var latency = new Option<int>("--offline-latency-ms") { Description = "Simulated think time of the offline agent per node, to watch the parallelism", DefaultValueFactory = _ => 0 };
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
                result.GetValue(maxConcurrent), result.GetValue(timeout), result.GetValue(latency), result.GetValue(provider),
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
    DirectoryInfo? Vault, string? Canvas, string Color, int? MaxGroups, int? MaxConcurrent, int Timeout, int OfflineLatencyMs, string? Provider,
    bool Force, int? MaxPerSession, bool Yes, bool Json);
