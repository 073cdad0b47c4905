using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CanvasLearning.Realtime;
using CanvasLearning.Tests.Support;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;
using static CanvasLearning.Tests.Realtime.Wire;

namespace CanvasLearning.Tests.Realtime;

/// <summary>
/// Slow-client handling is lossless and time-based. Readers that keep reading, however bursty the
/// session, get every event and are never closed; a reader that stops reading is closed with 4008
/// once its socket has accepted nothing for <c>Realtime:SlowClientTimeoutSeconds</c> on the server's
/// clock (a fake one here, so "within the configured time" is exact and the load of the machine
/// plays no part), naming the exact last seq it was sent. The fake agent holds its calls until all
/// clients are connected, then answers at once: 200 nodes finishing together, hundreds of events in
/// bursts. The server's socket buffers are small (test-only transport options), so a stalled reader
/// fills them with a few dozen frames, as over a slow network, instead of the megabytes loopback absorbs.
/// </summary>
public sealed partial class SlowClientTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Nodes = 200;
    private const int Readers = 4;
    private const int SlowAfterSeconds = 20;
    private readonly TestVault _vault = new(purpleNodes: Nodes);
    private readonly AgentGate _gate = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
    private TestServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await TestServer.StartAsync(_vault, _gate.Agent, new Dictionary<string, string?>
        {
            ["Realtime:SlowClientTimeoutSeconds"] = SlowAfterSeconds.ToString(CultureInfo.InvariantCulture),
            ["Realtime:HeartbeatIntervalSeconds"] = "3600",
            ["Realtime:CloseTimeoutSeconds"] = "60",
        }, services =>
        {
            services.AddSingleton<TimeProvider>(_clock);
            services.Configure<SocketTransportOptions>(o =>
            {
                o.MaxWriteBufferSize = 2048;
                o.CreateBoundListenSocket = endpoint =>
                {
                    // Accepted sockets inherit the listener's send buffer (Linux clamps it to its minimum).
                    var socket = SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
                    socket.SendBufferSize = 1;
                    return socket;
                };
            });
        });

    public async Task DisposeAsync()
    {
        await _gate.DisposeAsync();
        await _server.DisposeAsync();
        _vault.Dispose();
    }

    [Fact]
    public async Task Healthy_readers_get_every_event_of_the_bursts_and_stalled_ones_are_closed_4008_after_the_timeout_naming_their_last_seq()
    {
        var metrics = Metrics(_server);
        await _gate.HoldAsync();
        var id = await ConfirmGroupsAsync(_server, _vault.CanvasPath, 3600, ("oral-explanation", _vault.NodeIds.ToArray()));
        await _gate.WaitForStartsAsync(1);

        var readers = new List<WsClient>();
        await using var live = await StalledClient.ConnectAsync(_server, id, "?last_seq=0");
        try
        {
            for (var i = 0; i < Readers; i++)
            {
                readers.Add(await ConnectAsync(_server, id, "?last_seq=0"));
                await ExpectAsync(readers[^1], "connected");
            }

            await WaitUntilAsync(() => metrics.OpenConnections == Readers + 1, $"{Readers + 1} open connections");

            // The bursts: every reader drains them at its own pace and gets all of it.
            var reading = readers.Select(ws => ReadToCloseAsync(ws, WebSocketCloseStatus.NormalClosure, TimeSpan.FromSeconds(60))).ToList();
            _gate.Open();
            var streams = await Task.WhenAll(reading);
            var log = await ReadLogAsync(_server, id);
            Assert.Equal(Nodes, log.Count(e => Type(e) == "task_completed"));
            for (var i = 0; i < streams.Length; i++)
            {
                AssertLogEvents(streams[i], log, 0, $"reader {i}");
            }

            // A second stalled reader, replaying the finished session's whole log.
            await using var replaying = await StalledClient.ConnectAsync(_server, id, "?last_seq=0");
            await WaitUntilAsync(() => StuckSends() == 2, "both stalled readers' sends stuck (the healthy readers are gone)");
            Assert.Equal(0, metrics.SlowClientsClosed);

            // The server's clock: a second short of the timeout, nobody is closed; at it, both are.
            _clock.Advance(TimeSpan.FromSeconds(SlowAfterSeconds - 1));
            Assert.Equal(0, metrics.SlowClientsClosed);
            _clock.Advance(TimeSpan.FromSeconds(1));
            Assert.Equal(2, metrics.SlowClientsClosed);

            await AssertClosedAsTooSlowAsync(live, id, log, "the live stalled reader");
            await AssertClosedAsTooSlowAsync(replaying, id, log, "the replaying stalled reader");
            await WaitUntilAsync(() => metrics.OpenConnections == 0 && Tails(_server).Count == 0, "no open connection and no session tail left");
        }
        finally
        {
            foreach (var ws in readers)
            {
                await ws.DisposeAsync();
            }
        }
    }

    /// <summary>Connections whose socket has not taken the frame being sent.</summary>
    private int StuckSends() =>
        _server.Services.GetRequiredService<ConnectionRegistry>().Connections.Count(c => c.Sending);

    /// <summary>
    /// The stalled client got a prefix of the log (what the buffers held), then close 4008 naming exactly
    /// the last seq it got; resuming from it gives it the rest, with no gap and no duplicate.
    /// </summary>
    private async Task AssertClosedAsTooSlowAsync(StalledClient stalled, string id, List<JsonObject> log, string who)
    {
        var buffered = await stalled.DrainAsync(TimeSpan.FromSeconds(30));
        output.WriteLine($"{who} had {buffered.Count} frames buffered, then close {(int?)stalled.CloseStatus} '{stalled.CloseDescription}' {stalled.Failure?.Message}");
        Assert.Equal((WebSocketCloseStatus)4008, stalled.CloseStatus);
        Assert.Equal("connected", Type(buffered[0]));
        var seen = buffered.Skip(1).ToList();
        Assert.True(seen.Count < log.Count, $"{who} got all {log.Count} events: it was not stalled");
        var lastSeen = seen.Count == 0 ? 0 : Seq(seen[^1]);
        AssertLogEvents(seen, [.. log.Where(e => Seq(e) <= lastSeen)], 0, who);
        var named = ResumeFrom().Match(stalled.CloseDescription ?? "");
        Assert.True(named.Success, $"the close reason names no last_seq: '{stalled.CloseDescription}'");
        Assert.Equal(lastSeen, long.Parse(named.Groups[1].Value, CultureInfo.InvariantCulture));

        await using var again = await ConnectAsync(_server, id, $"?last_seq={lastSeen}");
        var rest = await ReadToCloseAsync(again, WebSocketCloseStatus.NormalClosure);
        AssertLogEvents([.. seen, .. rest.Skip(1)], log, 0, $"{who}, then resumed");
    }

    [GeneratedRegex(@"last_seq=(\d+)")]
    private static partial Regex ResumeFrom();
}
