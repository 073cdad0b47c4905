using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using CanvasLearning.Hosting;

namespace CanvasLearning.Cli;

internal static class ServeCommand
{
    public static Command Create()
    {
        var vault = new Option<DirectoryInfo?>("--vault") { Description = "The Obsidian vault folder to serve (setting Vault:Root)" };
        vault.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<DirectoryInfo?>() is { Exists: false } missing)
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
        var sample = new Option<bool>("--sample") { Description = "Serve a fresh copy of the bundled sample vault (./canvas-learning-sample) instead of --vault: to try the dashboard" };
        var latency = WholeNumberOption.Create("--offline-latency-ms",
            "Simulated think time of the offline agent per node, to watch a batch in the dashboard (default: Agents:Offline:SimulatedLatencyMilliseconds, 0)", 0, 600_000);
        var command = new Command("serve", "Start the HTTP service (the dashboard at /, REST API, OpenAPI at /openapi/v1.json) over a vault folder")
        {
            vault, host, port, dataDir, sample, latency,
        };
        command.Validators.Add(r =>
        {
            if (r.GetValue(vault) is null == !r.GetValue(sample))
            {
                r.AddError("pass --vault <folder of your Obsidian vault>, or --sample to try the bundled sample (not both)");
            }
        });
        command.SetAction(async (result, cancellationToken) =>
        {
            string root;
            try
            {
                root = result.GetValue(vault)?.FullName ?? SampleVault.CopyTo("canvas-learning-sample");
            }
            catch (IOException ex)
            {
                return Refusal.Report([ex.Message]);
            }

            var settings = new Dictionary<string, string?>
            {
                ["Vault:Root"] = root,
                ["urls"] = $"http://{Bindable(result.GetValue(host)!)}:{result.GetValue(port)}",
            };
            if (result.GetValue(latency) is { } ms)
            {
                settings["Agents:Offline:SimulatedLatencyMilliseconds"] = ms.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
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

            app.Lifetime.ApplicationStarted.Register(() => Console.WriteLine($"vault: {root}{Environment.NewLine}dashboard: {Dashboard.DashboardRegistration.Url(app)}"));
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
