// The real server speaking the shared peers' /publish protocol (../shared/peers/README.md), so their load client
// measures this project's fan-out side by side with SignalR and a bare Kestrel loop:
//   dotnet run -c Release --project bench/CanvasLearning.Bench -- fanout-server [durable|bus] [--inline] [port]
//   OURS_CMD="bench/CanvasLearning.Bench/bin/Release/net10.0/CanvasLearning.Bench fanout-server durable --inline" bash ../shared/peers/run.sh
// --inline sets Realtime:InlineSocketScheduling (the fan-out thread writes to the sockets itself; see docs/operations.md).
// Clients connect to /ws/intelligent-parallel/s1 (any sN); POST /publish?events=M&rate=R[&session=s1] answers 202 and
// publishes in the background. durable (the default): each batch of events is appended to the session's SQLite log
// in one transaction (fsync'd, as the engine's results are), then handed to the bus, the tail and the fan-out thread,
// the real path; bus: the same events go to the bus only (the log is not written), as SignalR's group send is measured.
// Every run starts a fresh session behind the name (the protocol numbers events from 1 for each run's connections).
// rate 0 publishes as fast as the fan-out takes them: at most 48 events (FANOUT_WINDOW) ahead of its last completed
// pass (the limit server's tick carries up to 64), each stamped (sent_ticks) just before it is appended; rate R publishes each event
// when it is due.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using CanvasLearning.Hosting;
using CanvasLearning.Realtime;
using CanvasLearning.Sessions;

namespace CanvasLearning.Bench;

internal static class FanOutServer
{
    /// <summary>Events published ahead of the fan-out's last completed pass (rate 0); FANOUT_WINDOW overrides it.</summary>
    private static readonly int Window = int.TryParse(Environment.GetEnvironmentVariable("FANOUT_WINDOW"), out var w) && w > 0 ? w : 48;

    public static async Task RunAsync(string[] args)
    {
        var durable = !args.Contains("bus");
        var inline = args.Contains("--inline");
        var port = args.LastOrDefault(a => a.All(char.IsAsciiDigit)) ?? "5104";
        var vault = Directory.CreateTempSubdirectory("cl-fanout-").FullName;
        var names = new Names();
        await using var app = ServerApp.Build(new Dictionary<string, string?>
        {
            ["Vault:Root"] = vault,
            ["urls"] = $"http://127.0.0.1:{port}",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Realtime:MaxConnectionsPerSession"] = "100000",
            ["Realtime:MaxConnections"] = "100000",
            ["Realtime:InlineSocketScheduling"] = inline ? "true" : "false",
        }, services =>
        {
            // The sessions here are channels to publish on: the engine would resume them as pending work and end them.
            foreach (var d in services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Name == "EngineLifetime").ToList())
            {
                services.Remove(d);
            }
        });
        var store = (SqliteSessionStore)app.Services.GetRequiredService<ISessionStore>();
        var bus = app.Services.GetRequiredService<IEventBus>();
        var tails = app.Services.GetRequiredService<SessionTails>();
        // /ws/intelligent-parallel/NAME watches the name's current session (a fresh one for each publish).
        app.Services.GetRequiredService<Watchers>().MapSessionId = name => names.Peek(name) is { } current ? ValueTask.FromResult(current) : new(names.CurrentAsync(name));
        names.Create = id => store.CreateAsync(new NewSession(id, "bench.canvas", 12, 86_400, "offline", DateTimeOffset.UtcNow,
            [new NewSessionNode("g1", "oral-explanation", "n1", "x", "bench-explanations/x.md")]));

        app.MapPost("/publish", async (int? events, int? rate, string? session) =>
        {
            var name = string.IsNullOrEmpty(session) ? "s1" : session;
            var id = await names.TakeForPublishAsync(name);
            var (m, r) = (Math.Max(1, events ?? 1), Math.Max(0, rate ?? 0));
            _ = Task.Run(() => PublishAsync(store, bus, tails, durable, id, name, m, r, TimeSpan.Zero));
            return Results.Json(new { session = name, events = m, rate = r, subscribers = -1 }, statusCode: 202);
        });
        await store.InitializeAsync();
        for (var i = 1; i <= 1000; i++)
        {
            await names.CurrentAsync($"s{i}");
        }

        await app.StartAsync();
        Console.WriteLine($"fanout-server ({(durable ? "durable: SQLite log, then fan-out" : "bus only")}{(inline ? ", inline socket scheduling" : "")}, window {Window}) listening on http://127.0.0.1:{port}");
        await app.WaitForShutdownAsync();
        Directory.Delete(vault, recursive: true);
    }

    /// <summary>
    /// Publishes events 1..<paramref name="events"/> of session <paramref name="id"/> (named <paramref name="name"/> in
    /// the frames): with <paramref name="rate"/> 0 as fast as the fan-out takes them (at most <see cref="Window"/> ahead of
    /// its last pass), else each when it is due, the schedule starting <paramref name="offset"/> from now.
    /// </summary>
    internal static async Task PublishAsync(
        SqliteSessionStore store, IEventBus bus, SessionTails tails, bool durable, string id, string name, int events, int rate, TimeSpan offset)
    {
        var tail = tails.Acquire(id);
        try
        {
            var clock = Stopwatch.StartNew();
            for (var next = 1; next <= events;)
            {
                int count;
                if (rate > 0)
                {
                    var wait = offset + TimeSpan.FromSeconds((next - 1) / (double)rate) - clock.Elapsed;
                    if (wait >= TimeSpan.FromMilliseconds(1))
                    {
                        await Task.Delay(wait);
                    }

                    var due = (int)Math.Floor((clock.Elapsed - offset).TotalSeconds * rate) + 1;
                    count = Math.Clamp(due - next + 1, 1, Math.Min(Window, events - next + 1));
                }
                else
                {
                    while (next - 1 - tail.PumpedSeq >= Window)
                    {
                        await Task.Delay(1);
                    }

                    count = (int)Math.Min(Window - (next - 1 - tail.PumpedSeq), events - next + 1);
                }

                var batch = durable
                    ? await store.AppendFramesAsync(id, EventTypes.TaskCompleted, count, seq => Frame(name, seq), CancellationToken.None)
                    : Enumerable.Range(next, count).Select(seq => new SessionEvent(id, seq, EventTypes.TaskCompleted, Frame(name, seq))).ToList();
                await bus.PublishAsync(batch);
                next += count;
            }
        }
        catch (Exception e)
        {
            await Console.Error.WriteLineAsync($"publish failed: {e}");
        }
        finally
        {
            tails.Release(tail);
        }
    }

    /// <summary>The peers' payload (214 bytes for s1), stamped now.</summary>
    internal static string Frame(string session, long seq) => string.Create(CultureInfo.InvariantCulture,
        $"{{\"type\":\"task_completed\",\"session_id\":\"{session}\",\"seq\":{seq},\"sent_ticks\":{DateTime.UtcNow.Ticks}," +
        $"\"data\":{{\"node_id\":\"node-{seq % 16:D4}\",\"file_path\":\"/data/projects/{session}/output/chunk_{seq:D6}.parquet\"," +
        $"\"file_size\":{1048576L + seq},\"group_id\":\"g-{seq % 8:D4}\"}}}}");

    /// <summary>
    /// The session behind each name: connections go to the current one; a publish takes it and makes the next, so
    /// each run's events are numbered from 1.
    /// </summary>
    private sealed class Names
    {
        private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _current = new(StringComparer.Ordinal);
        private int _made;

        public Func<string, Task> Create { get; set; } = _ => Task.CompletedTask;

        public Task<string> CurrentAsync(string name) =>
            _current.GetOrAdd(name, n => new Lazy<Task<string>>(() => MakeAsync(n))).Value;

        public async Task<string> TakeForPublishAsync(string name)
        {
            var id = await CurrentAsync(name);
            _current[name] = new Lazy<Task<string>>(() => MakeAsync(name));
            await CurrentAsync(name);
            return id;
        }

        public string? Peek(string name) =>
            _current.TryGetValue(name, out var made) && made.IsValueCreated && made.Value.IsCompletedSuccessfully ? made.Value.Result : null;

        private async Task<string> MakeAsync(string name)
        {
            var id = $"{name}-r{Interlocked.Increment(ref _made)}";
            await Create(id);
            return id;
        }
    }
}
