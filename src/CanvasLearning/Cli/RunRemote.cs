using System.CommandLine;
using CanvasLearning.Cli.Remote;

namespace CanvasLearning.Cli;

/// <summary><c>run --server URL</c>: analyze and confirm over REST on a running <c>serve</c>, then follow its WebSocket.</summary>
internal static class RunRemote
{
    public static async Task<int> ExecuteAsync(RunArguments args, ServerOptions options, ParseResult result, CancellationToken cancellationToken)
    {
        var refused = args switch
        {
            { Vault: not null } => "--vault is a folder on this machine; with --server the vault is the one the server serves (serve --vault)",
            { Canvas: null } => "with --server, pass --canvas <path relative to the server's vault>",
            { OfflineLatencyMs: not null } => "--offline-latency-ms is a setting of the server (Agents:Offline:SimulatedLatencyMilliseconds); leave it out with --server",
            _ => null,
        };
        if (refused is not null)
        {
            Say.Error($"error (invalid_request): {refused}");
            return ExitCodes.Error;
        }

        try
        {
            using var client = options.Connect(result);
            var backend = new RemoteBackend(client, notice => Say.Line($"[grey]{notice}[/]"), args.Provider);
            Say.Line($"Server [bold]{client.Server}[/]");
            return await RunFlow.ExecuteAsync(backend, args, args.Canvas!, args.MaxPerSession ?? 1000, cancellationToken);
        }
        catch (ServiceException ex)
        {
            Say.Error(ex.Line);
            return ExitCodes.Error;
        }
    }
}
