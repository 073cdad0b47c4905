// Engine throughput over REST, durable, with the offline agent (a FAKE model: it answers from templates after a set latency):
//   dotnet run -c Release --project bench/CanvasLearning.Bench -- engine [nodes=10000] [latency-ms=0] [limit=12] [warm-up=1000]
// A canvas of `nodes` concepts is confirmed as one session (Engine:MaxNodesPerSession raised to fit) and run with
// Engine:MaxConcurrentNodes=limit: every node is an agent call, an explanation file written atomically and flushed to
// disk (the flush shared by the files written meanwhile), its results and events committed to SQLite, and the canvas
// updated. First sessions of `warm-up` nodes, each on a canvas of its own (0: none), run in the fresh process until one
// of them has the runtime compile fewer than 200 methods (at most 8), so the figure is the running service's, not its
// start's (each warm-up's figure is printed, the first one's being the fresh process's); with `nodes` over 1,000, three
// 1,000-node sessions follow, for the cost of size (their median). Before each measured session the disk's dirty pages
// are flushed (sync), so what the previous one wrote does not slow this one. Leave a minute between two runs on ext4:
// the files a run deletes at its end slow the next run's file creation.
// Prints, per session, the confirm and the time from its answer to session_completed.
using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Text.Json.Nodes;
using CanvasLearning.Hosting;
using CanvasLearning.Sessions;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace CanvasLearning.Bench;

internal static class EngineBench
{
    private const int Reference = 1_000;

    // Warm-up sessions end once one compiles fewer methods than this (at most MaxWarmUps of them).
    private const int QuietCompiles = 200;
    private const int MaxWarmUps = 8;

    public static async Task RunAsync(string[] args)
    {
        var nodes = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
        var latencyMs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 0;
        var limit = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 12;
        var warmUp = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 1_000;
        var vault = Directory.CreateTempSubdirectory("cl-engine-").FullName;
        try
        {
            await using var app = ServerApp.Build(new Dictionary<string, string?>
            {
                ["Vault:Root"] = vault,
                ["urls"] = "http://127.0.0.1:0",
                ["Logging:LogLevel:Default"] = "Warning",
                ["Engine:MaxConcurrentNodes"] = limit.ToString(CultureInfo.InvariantCulture),
                ["Engine:MaxNodesPerSession"] = Math.Max(Math.Max(Reference, warmUp), nodes).ToString(CultureInfo.InvariantCulture),
                ["Agents:Offline:SimulatedLatencyMilliseconds"] = latencyMs.ToString(CultureInfo.InvariantCulture),
            });
            await app.StartAsync();
            var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(10) };
            var bus = app.Services.GetRequiredService<IEventBus>();
            var writes = app.Services.GetRequiredService<CanvasLearning.Canvas.CanvasWriteBack>();

            // Warm-up sessions until the runtime has (nearly) stopped compiling: after one session of
            // 1,000 nodes it still compiled some 2,800 methods again, optimized, during the 10,000.
            for (var round = 1; warmUp > 0 && round <= MaxWarmUps; round++)
            {
                var compiled = JitInfo.GetCompiledMethodCount();
                var (confirm, run, _) = await SessionAsync(http, bus, vault, $"warm-up-{round}", warmUp);

                // The runtime counts calls, and then optimizes what is called often, only after 100 ms
                // without compiling: sessions back to back would put both off to the measured one.
                await Task.Delay(TimeSpan.FromSeconds(1));
                compiled = JitInfo.GetCompiledMethodCount() - compiled;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"engine warm-up {round}{(round == 1 ? " (a fresh process)" : "")}: {warmUp} nodes, confirm {confirm.TotalSeconds:0.00} s, run {run.TotalSeconds:0.00} s ({warmUp / run.TotalSeconds:0} nodes/s), {compiled} methods compiled"));
                if (compiled < QuietCompiles)
                {
                    break;
                }
            }

            // The median of three: a session of a quarter of a second moves with the machine's noise.
            TimeSpan? reference = null;
            if (nodes > Reference)
            {
                var runs = new List<TimeSpan>();
                for (var i = 1; i <= 3; i++)
                {
                    Sync();
                    (_, var run, _) = await SessionAsync(http, bus, vault, $"reference-{i}", Reference);
                    runs.Add(run);
                }

                runs.Sort();
                reference = runs[1];
            }

            Sync();
            var rewrites = writes.Rewrites;
            var jitted = JitInfo.GetCompiledMethodCount();
            var (confirmed, elapsed, final) = await SessionAsync(http, bus, vault, "bench", nodes);
            jitted = JitInfo.GetCompiledMethodCount() - jitted;
            var scale = reference is { } r ? string.Create(CultureInfo.InvariantCulture, $"; {elapsed / r:0.0} × the {Reference}-node session's {r.TotalSeconds:0.00} s (median of 3)") : "";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"engine: {nodes} nodes, agent latency {latencyMs} ms, limit {limit}: confirm {confirmed.TotalSeconds:0.00} s, run {elapsed.TotalSeconds:0.00} s " +
                $"({nodes / elapsed.TotalSeconds:0} nodes/s; {nodes / (confirmed + elapsed).TotalSeconds:0} counting the confirm), status {final["status"]}, completed {final["completed_nodes"]}, " +
                $"{writes.Rewrites - rewrites} canvas writes ({new FileInfo(Path.Combine(vault, "bench.canvas")).Length / 1024} KB at the end), {jitted} methods compiled{scale}"));
            await app.StopAsync();
        }
        finally
        {
            // Its inodes written back at once: ext4 skips an inode freed less than a minute ago when
            // it makes a file (six while its inode table is unwritten), and scans past each, so a run
            // started right after this one's 12,000 deletions spends much of its time finding inodes.
            Directory.Delete(vault, recursive: true);
            Sync();
        }
    }

    /// <summary>Confirms a session of <paramref name="nodes"/> on a canvas of its own and waits for its end: the confirm's time, the run's, and the session as it ended.</summary>
    private static async Task<(TimeSpan Confirm, TimeSpan Run, JsonObject Final)> SessionAsync(HttpClient http, IEventBus bus, string vault, string name, int nodes)
    {
        await File.WriteAllTextAsync(Path.Combine(vault, $"{name}.canvas"), BenchCanvas.Generate(nodes));
        var body = BenchCanvas.Confirm(nodes);
        body["canvas_path"] = $"{name}.canvas";
        var clock = Stopwatch.StartNew();
        var confirm = await http.PostAsJsonAsync("/api/v1/canvas/intelligent-parallel/confirm", body);
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

        var run = clock.Elapsed - confirmed;
        var final = await http.GetFromJsonAsync<JsonObject>($"/api/v1/canvas/intelligent-parallel/{session}");
        return (confirmed, run, final!);
    }

    /// <summary>Flushes the file systems' dirty pages (sync(1), where there is one), so the previous session's writes are not on this one's disk time.</summary>
    internal static void Sync()
    {
        try
        {
            using var sync = Process.Start(new ProcessStartInfo("sync") { UseShellExecute = false });
            sync?.WaitForExit();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No sync(1) here: measured as the disk is.
        }
    }
}
