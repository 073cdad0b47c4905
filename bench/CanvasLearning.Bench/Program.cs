// Fan-out benchmark: one session, many WebSocket clients, every event to every client.
// Usage: dotnet run -c Release --project bench/CanvasLearning.Bench -- [clients=1000] [nodes=500] [agent-ms=20000]
// The model-provider benchmark is the "openai" scenario: see OpenAiBench.cs; the canvas one is "canvas [small|large [phases]]": see CanvasBench.cs;
// "fanout-server [durable|bus] [--inline] [port]" is the real server for the shared peers' load client: see FanOutServer.cs;
// "engine [nodes] [latency-ms] [limit]" times a whole session: see EngineBench.cs; "placement [nodes]" its placements alone: PlacementBench.cs;
// "many-sessions [durable|bus] [sessions] [clients] [events]" fans out to many small audiences at once: see ManySessions.cs.
// The agents wait agent-ms, so every client is connected before the first event; then all nodes
// finish at once (limit 256 per wave) and the events fan out to every client.
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using CanvasLearning.Bench;
using CanvasLearning.Canvas;
using CanvasLearning.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

if (args is ["placement", .. var placementArgs])
{
    PlacementBench.Run(placementArgs);
    return;
}

if (args is ["openai", .. var rest])
{
    await OpenAiBench.RunAsync(rest);
    return;
}

if (args is ["report", .. var reportArgs])
{
    await PeersReport.RunAsync(reportArgs);
    return;
}

if (args is ["engine", .. var engineArgs])
{
    await EngineBench.RunAsync(engineArgs);
    return;
}

if (args is ["many-sessions", .. var manyArgs])
{
    await ManySessions.RunAsync(manyArgs);
    return;
}

if (args is ["fanout-server", .. var serverArgs])
{
    await FanOutServer.RunAsync(serverArgs);
    return;
}

if (args is ["canvas", .. var sizes])
{
    await CanvasBench.RunAsync(sizes);
    return;
}

var clients = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
var nodes = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 500;
var agentMs = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20000;
var vault = Directory.CreateTempSubdirectory("cl-bench-").FullName;
await File.WriteAllTextAsync(Path.Combine(vault, "bench.canvas"), BenchCanvas.Generate(nodes));

await using var app = ServerApp.Build(new Dictionary<string, string?>
{
    ["Vault:Root"] = vault,
    ["urls"] = "http://127.0.0.1:0",
    ["Logging:LogLevel:Default"] = "Warning",
    ["Engine:MaxConcurrentNodes"] = "256",
    ["Agents:Offline:SimulatedLatencyMilliseconds"] = agentMs.ToString(CultureInfo.InvariantCulture),
    ["Realtime:MaxConnectionsPerSession"] = "100000",
});
await app.StartAsync();
var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
using var http = new HttpClient { BaseAddress = address };
var confirm = await http.PostAsJsonAsync("/api/v1/canvas/intelligent-parallel/confirm", BenchCanvas.Confirm(nodes));
var session = (await confirm.Content.ReadFromJsonAsync<JsonObject>())!["session_id"]!.GetValue<string>();

var ws = new Uri($"ws://{address.Authority}/ws/intelligent-parallel/{session}?last_seq=0");
var connect = Stopwatch.StartNew();
var sockets = new ClientWebSocket[clients];
for (var i = 0; i < clients; i += 50)
{
    await Task.WhenAll(Enumerable.Range(i, Math.Min(50, clients - i)).Select(async j =>
    {
        sockets[j] = new ClientWebSocket();
        await sockets[j].ConnectAsync(ws, CancellationToken.None);
    }));
}

Console.WriteLine($"{clients} clients connected to one session in {connect.ElapsedMilliseconds} ms");
var results = await Task.WhenAll(sockets.Select(BenchCanvas.CountUntilClosedAsync));
var first = results.Min(r => r.FirstEvent);
var last = results.Max(r => r.Closed);
var firstDone = results.Min(r => r.Closed);
var events = results.Max(r => r.Frames) - 1;
Console.WriteLine($"{events} logged events reached {clients} clients ({results.Sum(r => (long)r.Frames - 1)} deliveries, every client {results.Min(r => r.Frames) - 1}..{events} events): " +
                  $"{(last - first).TotalSeconds:0.00} s from the first node event anywhere to the last client's close " +
                  $"(two waves of agent work of {agentMs} ms each lie in between when nodes > 256); " +
                  $"the last client had every event {(last - firstDone).TotalMilliseconds:0} ms after the first client did");
Console.WriteLine($"every client got {results.Min(r => r.TaskCompleted)}..{results.Max(r => r.TaskCompleted)} of {nodes} task_completed " +
                  "(the frames missing above are progress_updates a lagging connection replaces by newer ones)");
Console.WriteLine($"{app.Services.GetRequiredService<CanvasWriteBack>().Rewrites} canvas rewrites for {nodes} explanation nodes");
await app.StopAsync();
Directory.Delete(vault, recursive: true);
