// "Many sessions": many small audiences at once, as a classroom of learners each watching their own run.
//   dotnet run -c Release --project bench/CanvasLearning.Bench -- many-sessions [durable|bus] [sessions=1000] [clients=5] [events=200] [rate=0]
// The real server (engine off; sessions created in its store) with sessions × clients WebSocket clients
// (ClientWebSocket, in this process), each client on its own session's /ws endpoint. Then every session gets
// `events` task_completed events: with rate 0 at once, as fast as the fan-out takes them (each session at most 48
// ahead of its last pass); with rate R, R events/s per session, each when it is due (sessions start 1/R apart in
// turn, so their events do not all fall on the same instant). durable: appended to the session's SQLite log in batches (fsync'd), then handed to the bus, the tail
// and the fan-out thread (the real path); bus: to the bus only. Prints deliveries/s from the first publish to the
// last delivery, latency from each event's stamp to its receipt (p50, p99, max), and checks that every client got
// every event of its session once, in order.
using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using CanvasLearning.Hosting;
using CanvasLearning.Realtime;
using CanvasLearning.Sessions;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace CanvasLearning.Bench;

internal static class ManySessions
{
    private static readonly byte[] SeqKey = "\"seq\":"u8.ToArray();
    private static readonly byte[] TicksKey = "\"sent_ticks\":"u8.ToArray();
    private static readonly byte[] CompletedKey = "\"type\":\"task_completed\""u8.ToArray();

    public static async Task RunAsync(string[] args)
    {
        var durable = !args.Contains("bus");
        var numbers = args.Where(a => a.All(char.IsAsciiDigit)).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray();
        var sessions = numbers.Length > 0 ? numbers[0] : 1000;
        var clients = numbers.Length > 1 ? numbers[1] : 5;
        var events = numbers.Length > 2 ? numbers[2] : 200;
        var rate = numbers.Length > 3 ? numbers[3] : 0;
        var vault = Directory.CreateTempSubdirectory("cl-many-").FullName;
        try
        {
            await using var app = ServerApp.Build(new Dictionary<string, string?>
            {
                ["Vault:Root"] = vault,
                ["urls"] = "http://127.0.0.1:0",
                ["Logging:LogLevel:Default"] = "Warning",
                ["Realtime:MaxConnectionsPerSession"] = "100000",
                ["Realtime:MaxConnections"] = "100000",
            }, services =>
            {
                // The sessions here are channels to publish on: the engine would run them as pending work and end them.
                foreach (var d in services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Name == "EngineLifetime").ToList())
                {
                    services.Remove(d);
                }
            });
            var store = (SqliteSessionStore)app.Services.GetRequiredService<ISessionStore>();
            var bus = app.Services.GetRequiredService<IEventBus>();
            var tails = app.Services.GetRequiredService<SessionTails>();
            await store.InitializeAsync();
            var ids = Enumerable.Range(1, sessions).Select(i => $"many-{i:D5}").ToArray();
            foreach (var id in ids)
            {
                await store.CreateAsync(new NewSession(id, "bench.canvas", 12, 86_400, "offline", DateTimeOffset.UtcNow,
                    [new NewSessionNode("g1", "oral-explanation", "n1", "x", "bench-explanations/x.md")]));
            }

            await app.StartAsync();
            var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

            var connect = Stopwatch.StartNew();
            var sockets = new (ClientWebSocket Socket, int Session)[sessions * clients];
            for (var i = 0; i < sockets.Length; i += 100)
            {
                await Task.WhenAll(Enumerable.Range(i, Math.Min(100, sockets.Length - i)).Select(async j =>
                {
                    var socket = new ClientWebSocket();
                    await socket.ConnectAsync(new Uri($"ws://{address.Authority}/ws/intelligent-parallel/{ids[j / clients]}?last_seq=0"), CancellationToken.None);
                    sockets[j] = (socket, j / clients);
                }));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"many-sessions ({(durable ? "durable: SQLite log, then fan-out" : "bus only")}): {sockets.Length} clients on {sessions} sessions connected in {connect.Elapsed.TotalSeconds:0.0} s; " +
                $"{events} events per session, {(rate > 0 ? $"{rate} per second each ({rate * sessions} events/s, {rate * sessions * clients} deliveries/s due)" : "all at once")}"));

            using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            var receivers = sockets.Select(s => Task.Run(() => ReceiveAsync(s.Socket, events, stop.Token))).ToArray();
            var start = DateTime.UtcNow.Ticks;
            var publishers = ids.Select((id, i) => Task.Run(() => FanOutServer.PublishAsync(store, bus, tails, durable, id, id, events, rate, rate > 0 ? TimeSpan.FromSeconds(i / (double)ids.Length / rate) : TimeSpan.Zero))).ToArray();
            await Task.WhenAll(publishers);
            var results = await Task.WhenAll(receivers);

            var last = results.Max(r => r.LastTicks);
            var deliveries = results.Sum(r => (long)r.Received);
            var latencies = results.SelectMany(r => r.LatenciesMs).Order().ToArray();
            var bad = results.Count(r => !r.InOrder || r.Received != events);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {deliveries:N0} deliveries of {(long)sockets.Length * events:N0} in {(last - start) / 1e7:0.00} s: {deliveries / ((last - start) / 1e7):N0} deliveries/s; " +
                $"latency p50 {Percentile(latencies, 0.50):0.0} ms, p99 {Percentile(latencies, 0.99):0.0} ms, max {latencies[^1]:0.0} ms; " +
                $"clients missing, repeating or reordering an event: {bad}"));
            foreach (var (socket, _) in sockets)
            {
                socket.Abort();
                socket.Dispose();
            }

            await app.StopAsync();
        }
        finally
        {
            Directory.Delete(vault, recursive: true);
        }
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    /// <summary>Reads until the session's last event: how many task_completed came, whether their seqs ran 1, 2, 3..., each one's latency.</summary>
    private static async Task<(int Received, bool InOrder, long LastTicks, List<double> LatenciesMs)> ReceiveAsync(ClientWebSocket socket, int events, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        var latencies = new List<double>(events);
        var (expected, inOrder, last) = (1L, true, 0L);
        try
        {
            while (expected <= events)
            {
                var result = await socket.ReceiveAsync(buffer, cancellationToken);
                var frame = buffer.AsSpan(0, result.Count);
                if (result.MessageType == WebSocketMessageType.Close || frame.IndexOf(CompletedKey) < 0)
                {
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        break;
                    }

                    continue;
                }

                var now = DateTime.UtcNow.Ticks;
                var seq = Number(frame, SeqKey);
                inOrder &= seq == expected;
                expected = seq + 1;
                latencies.Add((now - Number(frame, TicksKey)) / 1e4);
                last = now;
            }
        }
        catch (OperationCanceledException)
        {
            inOrder = false;
        }

        return (latencies.Count, inOrder, last, latencies);
    }

    private static long Number(ReadOnlySpan<byte> frame, ReadOnlySpan<byte> key)
    {
        var at = frame.IndexOf(key);
        return at >= 0 && Utf8Parser.TryParse(frame[(at + key.Length)..], out long value, out _) ? value : -1;
    }
}
