// Engine throughput over REST, durable, with the offline agent (a FAKE model: it answers from templates after a set latency):
//   dotnet run -c Release --project bench/CanvasLearning.Bench -- engine [nodes=10000] [latency-ms=0] [limit=12]
// A canvas of `nodes` concepts is confirmed as one session (Engine:MaxNodesPerSession raised to fit) and run with
// Engine:MaxConcurrentNodes=limit: every node is an agent call, an explanation file written atomically (fsync'd), its
// results and events committed to SQLite, and the canvas updated. Prints the time from confirm to session_completed.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using CanvasLearning.Hosting;
using CanvasLearning.Sessions;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace CanvasLearning.Bench;

internal static class EngineBench
{
    public static async Task RunAsync(string[] args)
    {
        var nodes = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
        var latencyMs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 0;
        var limit = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 12;
        var vault = Directory.CreateTempSubdirectory("cl-engine-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(vault, "bench.canvas"), BenchCanvas.Generate(nodes));
            await using var app = ServerApp.Build(new Dictionary<string, string?>
            {
                ["Vault:Root"] = vault,
                ["urls"] = "http://127.0.0.1:0",
                ["Logging:LogLevel:Default"] = "Warning",
                ["Engine:MaxConcurrentNodes"] = limit.ToString(CultureInfo.InvariantCulture),
                ["Engine:MaxNodesPerSession"] = Math.Max(1_000, nodes).ToString(CultureInfo.InvariantCulture),
                ["Agents:Offline:SimulatedLatencyMilliseconds"] = latencyMs.ToString(CultureInfo.InvariantCulture),
            });
            await app.StartAsync();
            var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(10) };
            var bus = app.Services.GetRequiredService<IEventBus>();

            var clock = Stopwatch.StartNew();
            var confirm = await http.PostAsJsonAsync("/api/v1/canvas/intelligent-parallel/confirm", BenchCanvas.Confirm(nodes));
            confirm.EnsureSuccessStatusCode();
            var session = (await confirm.Content.ReadFromJsonAsync<JsonObject>())!["session_id"]!.GetValue<string>();
            var confirmed = clock.Elapsed;
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (bus.Subscribe(session, e =>
                   {
                       if (e.Type == EventTypes.SessionCompleted)
                       {
                           done.TrySetResult();
                       }
                   }))
            {
                // The session may have ended before the subscription: the store says so.
                var status = await http.GetFromJsonAsync<JsonObject>($"/api/v1/canvas/intelligent-parallel/{session}");
                if (status!["status"]!.GetValue<string>() is "completed" or "partial_failure" or "failed" or "cancelled")
                {
                    done.TrySetResult();
                }

                await done.Task.WaitAsync(TimeSpan.FromMinutes(30));
            }

            var total = clock.Elapsed;
            var final = await http.GetFromJsonAsync<JsonObject>($"/api/v1/canvas/intelligent-parallel/{session}");
            var run = total - confirmed;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"engine: {nodes} nodes, agent latency {latencyMs} ms, limit {limit}: confirm {confirmed.TotalSeconds:0.00} s, run {run.TotalSeconds:0.00} s " +
                $"({nodes / run.TotalSeconds:0} nodes/s), status {final!["status"]}, completed {final["completed_nodes"]}, " +
                $"{app.Services.GetRequiredService<CanvasLearning.Canvas.CanvasWriteBack>().Rewrites} canvas writes ({new FileInfo(Path.Combine(vault, "bench.canvas")).Length / 1024} KB at the end)"));
            await app.StopAsync();
        }
        finally
        {
            Directory.Delete(vault, recursive: true);
        }
    }
}
