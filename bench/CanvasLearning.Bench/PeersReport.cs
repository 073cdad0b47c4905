// The fan-out section of docs/benchmarks.md, from one run of the shared peers' harness (run.sh and sweep.sh), with
// charts drawn here (ScottPlot):
//   dotnet run -c Release --project bench/CanvasLearning.Bench -- report <run results folder> <sweep results folder> [docs folder]
// bench/peers.sh runs both scripts against this project's real server and then this. Every ratio is taken rep by rep
// from the same run (machine noise cancels); nothing is copied by hand.
using System.Globalization;
using System.Text;
using System.Text.Json;
using ScottPlot;

namespace CanvasLearning.Bench;

internal static class PeersReport
{
    private const string Begin = "<!-- peers:begin (bench -- report writes this part) -->";
    private const string End = "<!-- peers:end -->";
    private static readonly string[] Servers = ["ours", "signalr", "kestrel"];

    public static async Task RunAsync(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: report <run results folder> <sweep results folder> [docs folder]");
            Environment.ExitCode = 2;
            return;
        }

        var run = await ReadAsync(Path.Combine(args[0], "results.jsonl"));
        var sweep = await ReadAsync(Path.Combine(args[1], "results.jsonl"));
        var docs = args.Length > 2 ? args[2] : "docs";
        Directory.CreateDirectory(Path.Combine(docs, "images"));

        var text = new StringBuilder();
        text.AppendLine(Begin);
        var (runName, sweepName) = (Path.GetFileName(Path.TrimEndingDirectorySeparator(args[0])), Path.GetFileName(Path.TrimEndingDirectorySeparator(args[1])));
        text.AppendLine(CultureInfo.InvariantCulture, $"From `{runName}` and `{sweepName}` (the harness's results folders); each cell is `rep 1 / rep 2`.");
        text.AppendLine();
        BurstTable(text, run);
        CapacityTable(text, sweep);
        text.AppendLine("![deliveries/s and due-p99 against the rate, 1,000 clients](images/fanout-sweep.png)");
        text.AppendLine("![burst deliveries/s and p99 against the number of clients](images/fanout-bursts.png)");
        text.AppendLine(End);
        SweepChart(sweep, Path.Combine(docs, "images", "fanout-sweep.png"));
        BurstChart(run, Path.Combine(docs, "images", "fanout-bursts.png"));

        var path = Path.Combine(docs, "benchmarks.md");
        var current = await File.ReadAllTextAsync(path);
        var (from, to) = (current.IndexOf(Begin, StringComparison.Ordinal), current.IndexOf(End, StringComparison.Ordinal));
        if (from < 0 || to < from)
        {
            Console.Error.WriteLine($"{path} has no '{Begin}' ... '{End}' section to replace; add the two lines where the figures go");
            Environment.ExitCode = 1;
            return;
        }

        await File.WriteAllTextAsync(path, current[..from] + text.ToString().TrimEnd() + current[(to + End.Length)..]);
        Console.WriteLine($"wrote the fan-out figures into {path} and two charts into {Path.Combine(docs, "images")}");
    }

    private static void BurstTable(StringBuilder text, List<JsonElement> run)
    {
        text.AppendLine("| | ours | SignalR | bare Kestrel | ours ÷ SignalR | ours ÷ Kestrel |");
        text.AppendLine("|---|---|---|---|---|---|");
        Row(text, run, "a", "a: 1,000 clients × 1,000 events, burst: deliveries/s", "deliveries_per_s", Millions);
        Row(text, run, "a", "a: p99", "p99_ms", Ms);
        Row(text, run, "b", "b: 5,000 clients × 200 events, burst: deliveries/s", "deliveries_per_s", Millions);
        Row(text, run, "b", "b: p99", "p99_ms", Ms);
        Row(text, run, "c", "c: 1,000 clients, 200 events/s: p99 from schedule", "sched_p99_ms", Ms);
        Row(text, run, "a", "server CPU per million deliveries (a)", "server_cpu_s_per_mdeliv", v => $"{v:0.00} s");
        Row(text, run, "idle", "memory per idle connection (5,000)", "kb_per_conn", v => $"{v:0.0} KB");
        var lost = run.Count(r => r.TryGetProperty("complete", out var c) && c.ValueKind == JsonValueKind.False);
        text.AppendLine();
        text.AppendLine(lost == 0 ? "Every delivery arrived, once and in order, in every config." : $"{lost} runs were not complete (see the harness's logs).");
        text.AppendLine();
    }

    private static void Row(StringBuilder text, List<JsonElement> run, string config, string label, string field, Func<double, string> format)
    {
        var values = Servers.ToDictionary(s => s, s => Values(run, s, config, field));
        string Cell(string server) => values[server].Count == 0 ? "-" : string.Join(" / ", values[server].Select(format));
        string Ratio(string other) => values["ours"].Count == 0 || values[other].Count != values["ours"].Count ? "-"
            : string.Join(" / ", values["ours"].Zip(values[other], (a, b) => b == 0 ? "-" : (a / b).ToString("0.00", CultureInfo.InvariantCulture)));
        text.AppendLine(CultureInfo.InvariantCulture, $"| {label} | {Cell("ours")} | {Cell("signalr")} | {Cell("kestrel")} | {Ratio("signalr")} | {Ratio("kestrel")} |");
    }

    private static void CapacityTable(StringBuilder text, List<JsonElement> sweep)
    {
        text.AppendLine("Capacity (sweep: the highest rate, events/s to 1,000 clients, with ≥ 95 % delivered, due-p99 < 50 ms, nothing lost):");
        text.AppendLine();
        text.AppendLine("| | rep 1 | rep 2 | in every rep | best deliveries/s seen |");
        text.AppendLine("|---|---|---|---|---|");
        foreach (var server in Servers)
        {
            var reps = sweep.Where(r => Str(r, "server") == server).Select(r => Num(r, "rep")).Distinct().Order().ToList();
            var capacity = reps.Select(rep => sweep.Where(r => Str(r, "server") == server && Num(r, "rep") == rep && Passes(r))
                .Select(r => Num(r, "rate")).DefaultIfEmpty(0).Max()).ToList();
            var best = sweep.Where(r => Str(r, "server") == server).Select(r => Num(r, "deliveries_per_s")).DefaultIfEmpty(0).Max();
            string Cap(double c) => c == 0 ? "none" : c.ToString("0", CultureInfo.InvariantCulture);
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {server} | {(capacity.Count > 0 ? Cap(capacity[0]) : "-")} | {(capacity.Count > 1 ? Cap(capacity[1]) : "-")} | {Cap(capacity.DefaultIfEmpty(0).Min())} | {Millions(best)} |");
        }

        text.AppendLine();
    }

    private static bool Passes(JsonElement r) =>
        Num(r, "achieved_pct") >= 95 && Num(r, "sched_p99_ms", 1e9) < 50 && Num(r, "skipped", 1) == 0 && Num(r, "dupes", 1) == 0
        && Num(r, "connected") == Num(r, "clients");

    private static void SweepChart(List<JsonElement> sweep, string path)
    {
        var plot = new Multiplot();
        plot.AddPlots(2);
        var (throughput, latency) = (plot.GetPlot(0), plot.GetPlot(1));
        foreach (var server in Servers)
        {
            var points = sweep.Where(r => Str(r, "server") == server && Str(r, "config").StartsWith('r'))
                .GroupBy(r => Num(r, "rate")).OrderBy(g => g.Key)
                .Select(g => (Rate: g.Key, Deliveries: g.Average(r => Num(r, "deliveries_per_s")), DueP99: g.Max(r => Num(r, "sched_p99_ms"))))
                .ToList();
            if (points.Count == 0)
            {
                continue;
            }

            var rates = points.Select(p => Math.Log10(p.Rate)).ToArray();
            var line = throughput.Add.Scatter(rates, points.Select(p => p.Deliveries / 1e6).ToArray());
            line.LegendText = server;
            var tail = latency.Add.Scatter(rates, points.Select(p => Math.Log10(Math.Max(1, p.DueP99))).ToArray());
            tail.LegendText = server;
        }

        LogTicks(throughput.Axes.Bottom, [100, 200, 400, 800, 1600]);
        LogTicks(latency.Axes.Bottom, [100, 200, 400, 800, 1600]);
        LogTicks(latency.Axes.Left, [5, 10, 20, 50, 100, 1000, 5000]);
        latency.Add.HorizontalLine(Math.Log10(50), pattern: LinePattern.Dashed);
        throughput.Title("1,000 clients: deliveries/s (mean of reps)");
        throughput.YLabel("million deliveries/s");
        throughput.XLabel("events/s asked");
        latency.Title("due-p99 (worst rep); dashed: the 50 ms SLO");
        latency.YLabel("ms");
        latency.XLabel("events/s asked");
        throughput.ShowLegend(Alignment.UpperLeft);
        latency.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, 1200, 450);
    }

    private static void BurstChart(List<JsonElement> run, string path)
    {
        var plot = new Multiplot();
        plot.AddPlots(2);
        var (throughput, latency) = (plot.GetPlot(0), plot.GetPlot(1));
        var configs = new[] { ("a", 1000), ("b", 5000) };
        for (var s = 0; s < Servers.Length; s++)
        {
            var server = Servers[s];
            var x = configs.Select((_, i) => i * (Servers.Length + 1) + s).Select(v => (double)v).ToArray();
            var bars = throughput.Add.Bars(x, configs.Select(c => Values(run, server, c.Item1, "deliveries_per_s").DefaultIfEmpty(0).Average() / 1e6).ToArray());
            bars.LegendText = server;
            bars.Color = Palette(s);
            var p99 = latency.Add.Bars(x, configs.Select(c => Values(run, server, c.Item1, "p99_ms").DefaultIfEmpty(0).Max()).ToArray());
            p99.LegendText = server;
            p99.Color = Palette(s);
        }

        foreach (var p in new[] { throughput, latency })
        {
            p.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
                configs.Select((c, i) => new Tick(i * (Servers.Length + 1) + 1, $"{c.Item2:N0} clients")).ToArray());
            p.ShowLegend(Alignment.UpperRight);
        }

        throughput.Title("burst: deliveries/s (mean of reps)");
        throughput.YLabel("million deliveries/s");
        latency.Title("burst: p99 (worst rep)");
        latency.YLabel("ms");
        plot.SavePng(path, 1200, 450);
    }

    private static Color Palette(int i) => new ScottPlot.Palettes.Category10().GetColor(i);

    private static void LogTicks(IAxis axis, double[] values) =>
        axis.TickGenerator = new ScottPlot.TickGenerators.NumericManual(values.Select(v => new Tick(Math.Log10(v), v.ToString("0", CultureInfo.InvariantCulture))).ToArray());

    private static List<double> Values(List<JsonElement> rows, string server, string config, string field) =>
        rows.Where(r => Str(r, "server") == server && Str(r, "config") == config).OrderBy(r => Num(r, "rep")).Select(r => Num(r, field)).ToList();

    private static string Millions(double v) => $"{v / 1e6:0.00} M";

    private static string Ms(double v) => $"{v:0.0} ms";

    private static string Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";

    private static double Num(JsonElement e, string name, double missing = 0) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : missing;

    private static async Task<List<JsonElement>> ReadAsync(string path) =>
        (await File.ReadAllLinesAsync(path)).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
}
