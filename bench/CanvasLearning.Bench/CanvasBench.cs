using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CanvasLearning.Canvas;
using CanvasLearning.Execution;
using CanvasLearning.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace CanvasLearning.Bench;

/// <summary>
/// The "canvas" scenario: runs of the real service (analyze, confirm, wait) over a generated canvas
/// of 38 marked concepts, small (about 63 KB) or large (about 5 MB): three warm-up runs on small
/// canvases and one on a copy of each canvas measured (not counted), nine on fresh copies of it, then
/// a second run over the last. Prints the median run, the process's peak memory, the time to read the
/// file and to write it by themselves, and where the explanations landed. Each timing starts from
/// the same state: the disk flushed (sync) and the heap collected, so none pays for what the one
/// before it wrote or left to collect.
/// <c>dotnet run -c Release --project bench/CanvasLearning.Bench -- canvas [small|large [phases]]</c>:
/// without a size, both in one process, a small run and a large one in turn, then the budget; with
/// one size, that size alone in the process (its own peak); with <c>phases</c>, only where one warm
/// write-back's time goes.
/// </summary>
internal static partial class CanvasBench
{
    private const int Marked = 38;
    private const int WarmUps = 3;
    // Fifteen, not nine: one parse of the 5 MB file takes either about 31 ms or about 51 ms on this
    // shared 2-core machine, in the service's read and in the bench's read by itself alike, and the
    // mean of few runs moves with how many of each it met.
    private const int Runs = 15;

    public static async Task RunAsync(string[] args)
    {
        if (args.Length == 0)
        {
            await CompareAsync();
            return;
        }

        if (args.Length > 1 && args[1] == "phases")
        {
            var folder = Directory.CreateTempSubdirectory("cl-canvas-bench-").FullName;
            var path = Path.Combine(folder, "map.canvas");
            var (text, marked) = Generate(BytesOf(args[0]), Marked);
            await File.WriteAllTextAsync(path, text);
            Phases(path, marked);
            Directory.Delete(folder, recursive: true);
            return;
        }

        await MeasureAsync([args[0]]);
    }

    private static int BytesOf(string size) => size == "large" ? 5_000_000 : 63_000;

    /// <summary>
    /// Runs the service over each size, the sizes in turn within each round (so a machine that gets
    /// slower or faster for a while weighs on all of them alike), and prints each one's figures.
    /// </summary>
    /// <returns>Per size: the median and the mean of its runs and of reading and writing the file by themselves (seconds), canvas writes per run, and the process's peak working set (MB).</returns>
    private static async Task<Dictionary<string, SizeFigures>> MeasureAsync(IReadOnlyList<string> sizes)
    {
        var vault = Directory.CreateTempSubdirectory("cl-canvas-bench-").FullName;
        var subjects = new List<Subject>();
        foreach (var size in sizes)
        {
            var (text, marked) = Generate(BytesOf(size), Marked);
            var path = Path.Combine(vault, $"{size}.canvas");
            await File.WriteAllTextAsync(path, text);
            subjects.Add(new Subject(size, path, marked));
        }

        await using var app = ServerApp.Build(new Dictionary<string, string?>
        {
            ["Vault:Root"] = vault,
            ["urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(5) };
        var engine = app.Services.GetRequiredService<BatchEngine>();

        // Warm up jieba and the JIT (through its tiers) on small canvases of their own, so both
        // sizes measure the running service, not its start.
        for (var k = 0; k < WarmUps; k++)
        {
            await File.WriteAllTextAsync(Path.Combine(vault, $"warm{k}.canvas"), Generate(20_000, 4).Text);
            await RunOnceAsync(http, engine, $"warm{k}.canvas");
            await QuietAsync();
        }

        // One run of each measured size first, not counted: what only a canvas of this size makes the
        // service do (longer loops, larger arrays) is compiled and sized in it, as in a service that runs.
        foreach (var subject in subjects)
        {
            File.Copy(subject.Path, Path.Combine(vault, $"warm-{subject.Size}.canvas"));
            await RunOnceAsync(http, engine, $"warm-{subject.Size}.canvas");
            await QuietAsync();
        }

        // Each run on a fresh copy of the canvas (nothing explained yet, nothing cached); the time
        // to read and write that copy by itself is taken just before its run.
        var writeBack = app.Services.GetRequiredService<CanvasWriteBack>();
        for (var k = 0; k < Runs; k++)
        {
            foreach (var subject in subjects)
            {
                var copy = Path.Combine(vault, $"{subject.Size}{k}.canvas");
                File.Copy(subject.Path, copy);
                var io = MeasureReadAndWrite(copy);
                Settle();
                var (collections, paused, rewrites) = (GC.CollectionCount(2), GC.GetTotalPauseDuration(), writeBack.Rewrites);
                var clock = Stopwatch.StartNew();
                var status = await RunOnceAsync(http, engine, Path.GetFileName(copy));
                subject.Results.Add(new Result(clock.Elapsed, io, status, GC.CollectionCount(2) - collections, GC.GetTotalPauseDuration() - paused, writeBack.Rewrites - rewrites));
            }
        }

        var figures = new Dictionary<string, SizeFigures>();
        foreach (var subject in subjects)
        {
            figures[subject.Size] = await ReportAsync(http, engine, vault, subject);
        }

        await app.StopAsync();
        Directory.Delete(vault, recursive: true);
        EngineBench.Sync();
        return figures;
    }

    /// <summary>
    /// A second without work after a warm-up run, as a running service has between requests: the
    /// runtime counts calls, and then optimizes what is called often, only after 100 ms without
    /// compiling, so runs back to back would leave the hot code unoptimized for the measured ones
    /// (as in the engine bench).
    /// </summary>
    private static Task QuietAsync() => Task.Delay(TimeSpan.FromSeconds(1));

    /// <summary>
    /// The same start for every timing: what was written is on the disk (the copy of the canvas, the
    /// run before), and the heap is collected (the timing before left its garbage), as benchmark harnesses do.
    /// </summary>
    private static void Settle()
    {
        EngineBench.Sync();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
    }

    /// <summary>Analyze, confirm every group, wait for the end: the session's status, or the refusal's error code.</summary>
    private static async Task<string> RunOnceAsync(HttpClient http, BatchEngine engine, string canvas)
    {
        var clock = Stopwatch.StartNew();
        var analysis = await PostAsync(http, "/api/v1/canvas/intelligent-parallel", new JsonObject { ["canvas_path"] = canvas });
        var analyzed = clock.Elapsed;
        var groups = new JsonArray(analysis["groups"]!.AsArray().Select(g => (JsonNode)new JsonObject
        {
            ["group_id"] = g!["group_id"]!.GetValue<string>(),
            ["agent_type"] = g["recommended_agent"]!.GetValue<string>(),
            ["node_ids"] = new JsonArray(g["nodes"]!.AsArray().Select(n => (JsonNode)JsonValue.Create(n!["node_id"]!.GetValue<string>())).ToArray()),
        }).ToArray());
        using var confirm = await http.PostAsync(new Uri("/api/v1/canvas/intelligent-parallel/confirm", UriKind.Relative),
            new StringContent(new JsonObject { ["canvas_path"] = canvas, ["groups"] = groups }.ToJsonString(), Encoding.UTF8, "application/json"));
        var answer = JsonNode.Parse(await confirm.Content.ReadAsStringAsync())!;
        var confirmed = clock.Elapsed;
        if (confirm.StatusCode != HttpStatusCode.Accepted)
        {
            return answer["error"]!.GetValue<string>();
        }

        // The end is the session's own (the engine's run completes), not the next poll of its status:
        // polling every few milliseconds would add up to one interval, at random, to every run.
        var id = answer["session_id"]!.GetValue<string>();
        await engine.WaitAsync(id);
        var ended = clock.Elapsed;
        var session = JsonNode.Parse(await http.GetStringAsync(new Uri($"/api/v1/canvas/intelligent-parallel/{id}", UriKind.Relative)))!;
        var status = session["status"]!.GetValue<string>();
        return status is "completed" or "partial_failure" or "failed" or "cancelled"
            ? string.Create(CultureInfo.InvariantCulture, $"{status} (analyze {analyzed.TotalSeconds:0.000} s, confirm {(confirmed - analyzed).TotalSeconds:0.000} s, session {(ended - confirmed).TotalSeconds:0.000} s)")
            : throw new InvalidOperationException($"session {id} ended its run as '{status}'");
    }

    private static async Task<JsonNode> PostAsync(HttpClient http, string path, JsonObject body)
    {
        using var response = await http.PostAsync(new Uri(path, UriKind.Relative), new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    /// <summary>What reading the canvas (read, parse) and writing it (add a node, serialize, write as the service does: temporary file, fsync, rename) cost by themselves.</summary>
    private static (TimeSpan Read, TimeSpan Write) MeasureReadAndWrite(string path)
    {
        var copy = path + ".io";
        Settle();
        var clock = Stopwatch.StartNew();
        var doc = CanvasDocument.Parse(File.ReadAllBytes(path));
        var read = clock.Elapsed;
        clock.Restart();
        doc.AddNode(new CanvasNode("0123456789abcdef", CanvasNodeTypes.File, -10_000, -10_000, 400, 300, File: "x.md"));
        AtomicFile.WriteAllBytesAsync(copy, doc.ToUtf8()).GetAwaiter().GetResult();
        var write = clock.Elapsed;
        File.Delete(copy);
        return (read, write);
    }

    /// <summary>
    /// Groups of 2 × 10 cards (40 px apart, one Obsidian line each), 480 px between groups, ten
    /// groups a row, Chinese and English text, an edge between neighbours; <paramref name="marked"/> cards spread evenly are marked "3".
    /// </summary>
    public static (string Text, IReadOnlyList<string> Marked) Generate(int targetBytes, int marked)
    {
        var lines = new List<string>();
        var edges = new List<string>();
        var ids = new List<string>();
        var size = 0;
        for (var i = 0; size < targetBytes; i++)
        {
            var (block, inBlock) = (i / 20, i % 20);
            var (bx, by) = (block % 10 * 1240, block / 10 * 2160);
            if (inBlock == 0)
            {
                lines.Add(string.Create(CultureInfo.InvariantCulture,
                    $"\t\t{{\"id\":\"g{block:x11}\",\"type\":\"group\",\"label\":\"主题 {block} Topic\",\"x\":{bx - 40},\"y\":{by - 40},\"width\":{(2 * 360) + 40},\"height\":{(10 * 160) + 40}}}"));
            }

            var id = $"n{i:x15}";
            ids.Add(id);
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"\t\t{{\"id\":\"{id}\",\"type\":\"text\",\"text\":\"第{i}条笔记：排序算法与图论 note {i} about graphs and sorting\",\"x\":{bx + (inBlock % 2 * 360)},\"y\":{by + (inBlock / 2 * 160)},\"width\":320,\"height\":120{{COLOR{i}}}}}"));
            if (inBlock > 0 && inBlock % 2 == 0)
            {
                edges.Add($"\t\t{{\"id\":\"e{i:x15}\",\"fromNode\":\"{ids[i - 1]}\",\"fromSide\":\"right\",\"toNode\":\"{id}\",\"toSide\":\"left\"}}");
            }

            size += lines[^1].Length + 60;
        }

        var step = ids.Count / marked;
        var chosen = Enumerable.Range(0, marked).Select(k => (k * step) + (step / 2)).ToHashSet();
        var nodes = lines.Select(l =>
        {
            var at = l.IndexOf("{COLOR", StringComparison.Ordinal);
            if (at < 0)
            {
                return l;
            }

            var index = int.Parse(l.AsSpan(at + 6, l.IndexOf('}', at) - at - 6), CultureInfo.InvariantCulture);
            return l[..at] + (chosen.Contains(index) ? ",\"color\":\"3\"" : "") + l[(l.IndexOf('}', at) + 1)..];
        });
        var text = "{\n\t\"nodes\":[\n" + string.Join(",\n", nodes) + "\n\t],\n\t\"edges\":[\n" + string.Join(",\n", edges) + "\n\t]\n}";
        return (text, chosen.Order().Select(i => ids[i]).ToList());
    }

    private sealed record Subject(string Size, string Path, IReadOnlyList<string> Marked)
    {
        public List<Result> Results { get; } = [];
    }

    /// <summary>What the budget takes of a size (seconds): the median and the mean of its runs, and of reading and writing its file by themselves.</summary>
    private sealed record SizeFigures((double Run, double Read, double Write) Median, (double Run, double Read, double Write) Mean, double Rewrites, long PeakMb);

    private sealed record Result(TimeSpan Run, (TimeSpan Read, TimeSpan Write) Io, string Status, int FullCollections, TimeSpan Paused, long Rewrites);
}
