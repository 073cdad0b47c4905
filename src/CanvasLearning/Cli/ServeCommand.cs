using System.CommandLine;
using CanvasLearning.Hosting;

namespace CanvasLearning.Cli;

internal static class ServeCommand
{
    public static Command Create()
    {
        var vault = new Option<DirectoryInfo>("--vault") { Description = "The Obsidian vault folder to serve (setting Vault:Root)", Required = true };
        var host = new Option<string>("--host") { Description = "Address to bind", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "Port to listen on (0 picks a free one)", DefaultValueFactory = _ => 5080 };
        var dataDir = new Option<DirectoryInfo?>("--data-dir") { Description = "Folder of the session database (default: .canvas-learning inside the vault)" };
        var command = new Command("serve", "Start the HTTP service (REST API, OpenAPI at /openapi/v1.json) over a vault folder")
        {
            vault, host, port, dataDir,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var vaultDir = result.GetValue(vault)!;
            if (!vaultDir.Exists)
            {
                await Console.Error.WriteLineAsync($"error: vault folder '{vaultDir.FullName}' does not exist; pass --vault <folder of your Obsidian vault>");
                return 2;
            }

            var settings = new Dictionary<string, string?>
            {
                ["Vault:Root"] = vaultDir.FullName,
                ["urls"] = $"http://{result.GetValue(host)}:{result.GetValue(port)}",
            };
            if (result.GetValue(dataDir) is { } data)
            {
                settings["Storage:DataDirectory"] = data.FullName;
            }

            var app = ServerApp.Build(settings);
            app.Lifetime.ApplicationStarted.Register(() => Console.WriteLine($"dashboard: {Dashboard.DashboardRegistration.Url(app)}"));
            await app.RunAsync(cancellationToken);
            return 0;
        });
        return command;
    }
}
