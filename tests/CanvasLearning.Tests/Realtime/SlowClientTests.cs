using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CanvasLearning.Tests.Support;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static CanvasLearning.Tests.Realtime.Wire;

namespace CanvasLearning.Tests.Realtime;

/// <summary>
/// A reader that stops reading is isolated: its bounded queue collapses progress updates, then
/// overflows, and it is closed with 4008 while the others get every event on time. The fake agent
/// holds its calls until all clients are connected, then answers at once. The server's socket
/// buffers are made small (test-only transport options), so a stalled reader fills them with a
/// few dozen frames, as over a slow network, instead of the megabytes loopback TCP would absorb.
/// </summary>
public sealed partial class SlowClientTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Nodes = 120;
    private const int Readers = 4;
    private const string SecondCanvas = "second.canvas";
    private readonly TestVault _vault = new(purpleNodes: Nodes);
    private readonly AgentGate _gate = new();
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        File.Copy(_vault.CanvasFullPath, Path.Combine(_vault.Root, SecondCanvas));
        _server = await StartServerAsync(_vault, _gate, queueCapacity: 64);
    }

    public async Task DisposeAsync()
    {
        await _gate.DisposeAsync();
        await _server.DisposeAsync();
        _vault.Dispose();
    }

    [Fact]
    public async Task A_stalled_reader_is_closed_with_4008_and_does_not_slow_the_others()
    {
        var metrics = Metrics(_server);
        var alone = await RunAsync(_server, _gate, _vault, _vault.CanvasPath, withStalledPeer: false);
        var collapsedBefore = metrics.ProgressCollapsed;
        var shared = await RunAsync(_server, _gate, _vault, SecondCanvas, withStalledPeer: true);
        output.WriteLine($"readers done in {alone.TotalMilliseconds:F0} ms alone, {shared.TotalMilliseconds:F0} ms beside a stalled peer");

        Assert.True(shared < alone * 2 + TimeSpan.FromSeconds(1),
            $"the readers took {shared.TotalMilliseconds:F0} ms beside a stalled peer, {alone.TotalMilliseconds:F0} ms alone");
        Assert.Equal(1, metrics.SlowClientsClosed);
        Assert.True(metrics.ProgressCollapsed > collapsedBefore, "no progress_update collapsed in the stalled client's queue");
        await WaitUntilAsync(() => metrics.OpenConnections == 0 && metrics.QueuedFrames == 0, "no open connection and no queued frame");
    }

    private static Task<TestServer> StartServerAsync(TestVault vault, AgentGate gate, int queueCapacity) =>
        TestServer.StartAsync(vault, gate.Agent, new Dictionary<string, string?>
        {
            ["Realtime:SendQueueCapacity"] = queueCapacity.ToString(CultureInfo.InvariantCulture),
        }, services => services.Configure<SocketTransportOptions>(o =>
        {
            o.MaxWriteBufferSize = 2048;
            o.CreateBoundListenSocket = endpoint =>
            {
                // Accepted sockets inherit the listener's send buffer (Linux clamps it to its minimum).
                var socket = SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
                socket.SendBufferSize = 1;
                return socket;
            };
        }));

    /// <summary>
    /// Runs a session of every node of <paramref name="canvasPath"/> with <see cref="Readers"/> reading
    /// clients (and a stalled one); returns how long the readers took from the release of the calls
    /// to their close, after checking what everyone got.
    /// </summary>
    private async Task<TimeSpan> RunAsync(TestServer server, AgentGate gate, TestVault vault, string canvasPath, bool withStalledPeer)
    {
        await gate.HoldAsync();
        gate.ForgetStarts();
        var id = await ConfirmGroupsAsync(server, canvasPath, null, ("oral-explanation", vault.NodeIds.ToArray()));
        await gate.WaitForStartsAsync(1);

        var readers = new List<WsClient>();
        StalledClient? stalled = null;
        try
        {
            for (var i = 0; i < Readers; i++)
            {
                readers.Add(await ConnectAsync(server, id, "?last_seq=0"));
                await ExpectAsync(readers[^1], "connected");
            }

            if (withStalledPeer)
            {
                stalled = await StalledClient.ConnectAsync(server, id, "?last_seq=0");
            }

            var expectedOpen = Readers + (withStalledPeer ? 1 : 0);
            await WaitUntilAsync(() => Metrics(server).OpenConnections == expectedOpen, $"{expectedOpen} open connections");

            var clock = Stopwatch.StartNew();
            var reading = readers.Select(ws => ReadToCloseAsync(ws, WebSocketCloseStatus.NormalClosure, TimeSpan.FromSeconds(30))).ToList();
            gate.Open();
            var streams = await Task.WhenAll(reading);
            var elapsed = clock.Elapsed;

            var log = await ReadLogAsync(server, id);
            Assert.Equal(Nodes, log.Count(e => Type(e) == "task_completed"));
            for (var i = 0; i < streams.Length; i++)
            {
                AssertLogEventsExceptCollapsedProgress(streams[i], log, 0, $"reader {i}");
            }

            if (stalled is not null)
            {
                await AssertClosedAsTooSlowAsync(server, stalled, id, log);
            }

            return elapsed;
        }
        finally
        {
            foreach (var ws in readers)
            {
                await ws.DisposeAsync();
            }

            if (stalled is not null)
            {
                await stalled.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// The stalled client got a prefix of the session (what the buffers held), then close 4008 naming a
    /// last_seq to resume from; resuming from the last seq it saw gives it the rest.
    /// </summary>
    private async Task AssertClosedAsTooSlowAsync(TestServer server, StalledClient stalled, string id, List<JsonObject> log)
    {
        var buffered = await stalled.DrainAsync(TimeSpan.FromSeconds(15));
        output.WriteLine($"the stalled client had {buffered.Count} frames buffered, then close {(int?)stalled.CloseStatus} '{stalled.CloseDescription}' {stalled.Failure?.Message}");
        Assert.Equal((WebSocketCloseStatus)4008, stalled.CloseStatus);
        Assert.Equal("connected", Type(buffered[0]));
        var seen = buffered.Skip(1).ToList();
        Assert.True(seen.Count < log.Count / 2, $"the stalled client got {seen.Count} of {log.Count} events: it was not isolated");
        var named = ResumeFrom().Match(stalled.CloseDescription ?? "");
        Assert.True(named.Success, $"the close reason names no last_seq: '{stalled.CloseDescription}'");
        var lastSeen = seen.Count == 0 ? 0 : Seq(seen[^1]);
        Assert.True(long.Parse(named.Groups[1].Value, CultureInfo.InvariantCulture) <= lastSeen, "the close names a last_seq beyond what the client got");

        await using var again = await ConnectAsync(server, id, $"?last_seq={lastSeen}");
        var rest = await ReadToCloseAsync(again, WebSocketCloseStatus.NormalClosure);
        AssertLogEventsExceptCollapsedProgress([.. seen, .. rest.Skip(1)], log, 0, "the stalled client, then resumed");
    }

    [GeneratedRegex(@"last_seq=(\d+)")]
    private static partial Regex ResumeFrom();
}
