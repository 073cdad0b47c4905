using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using CanvasLearning.Hosting;

namespace CanvasLearning.Cli;

internal static class ServeCommand
{
    public static Command Create()
    {
        var vault = new Option<DirectoryInfo>("--vault") { Description = "The Obsidian vault folder to serve (setting Vault:Root)", Required = true };
        vault.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<DirectoryInfo>() is { Exists: false } missing)
            {
                r.AddError($"--vault '{missing.FullName}' does not exist; pass the folder of your Obsidian vault");
            }
        });
        var host = new Option<string>("--host") { Description = "Address to bind: 127.0.0.1 (this machine only), 0.0.0.0 (every interface) or another IP address", DefaultValueFactory = _ => "127.0.0.1" };
        host.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string>() is { } value && Bindable(value) is null)
            {
                // Kestrel would take any other name as "every interface": a typo must not open the server to the network.
                r.AddError($"--host '{value}' is not an IP address of this machine; use 127.0.0.1 (this machine only), 0.0.0.0 (every interface), ::1, another IP address, or localhost");
            }
        });
        var port = WholeNumberOption.Create("--port", "Port to listen on (0 picks a free one)", 0, IPEndPoint.MaxPort, 5080);
        var dataDir = new Option<DirectoryInfo?>("--data-dir") { Description = "Folder of the session database (default: .canvas-learning inside the vault)" };
        var command = new Command("serve", "Start the HTTP service (REST API, OpenAPI at /openapi/v1.json) over a vault folder")
        {
            vault, host, port, dataDir,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var settings = new Dictionary<string, string?>
            {
                ["Vault:Root"] = result.GetValue(vault)!.FullName,
                ["urls"] = $"http://{Bindable(result.GetValue(host)!)}:{result.GetValue(port)}",
            };
            if (result.GetValue(dataDir) is { } data)
            {
                settings["Storage:DataDirectory"] = data.FullName;
            }

            var builder = ServerApp.CreateBuilder(settings);
            WebApplication app;
            try
            {
                app = ServerApp.Build(builder);
            }
            catch (Exception ex) when (Refusal.Describe(ex, builder.Configuration) is { Count: > 0 } problems)
            {
                return Refusal.Report(problems);
            }

            app.Lifetime.ApplicationStarted.Register(() => Console.WriteLine($"dashboard: {Dashboard.DashboardRegistration.Url(app)}"));
            await app.RunAsync(cancellationToken);
            return 0;
        });
        return command;
    }

    /// <summary>The host as it goes in a URL (IPv6 in brackets), or null when it is no address to bind.</summary>
    private static string? Bindable(string host) => host switch
    {
        _ when host.Equals("localhost", StringComparison.OrdinalIgnoreCase) => "localhost",
        _ when IPAddress.TryParse(host, out var address) => address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString(),
        _ => null,
    };
}
