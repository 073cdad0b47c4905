using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static CanvasLearning.Tests.Realtime.Wire;

namespace CanvasLearning.Tests.Realtime;

/// <summary>
/// Heartbeat, ping/pong, idle timeout and the ends of a connection, on a server whose clock is a
/// <see cref="FakeTimeProvider"/>. The clock is only moved after <c>connected</c> arrived, since the
/// connection's deadlines count from its start. Sessions hang their nodes, so no session event
/// happens while the clock moves (the session and node timeouts are the longest allowed).
/// </summary>
public sealed class LifecycleTests() : RealtimeTestBase(purpleNodes: 12)
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    protected override Dictionary<string, string?> Settings() => new()
    {
        ["Engine:NodeTimeoutSeconds"] = "3600",
        ["Engine:MaxConcurrentNodes"] = "64",
    };

    protected override void Configure(IServiceCollection services) => services.AddSingleton<TimeProvider>(_clock);

    [Fact]
    public async Task A_ping_without_seq_arrives_every_heartbeat_interval()
    {
        var id = await StartHungSessionAsync("n001");
        await using var ws = await ConnectAsync(Server, id);
        Assert.Equal(30, Data(await ExpectAsync(ws, "connected"))["heartbeat_interval"]!.GetValue<int>());

        _clock.Advance(TimeSpan.FromSeconds(30));
        var ping = await ExpectAsync(ws, "ping");
        ConnectTests.AssertControlEnvelope(ping, id);
        Assert.False(ping.ContainsKey("data"), $"a ping carries data: {ping.ToJsonString()}");

        _clock.Advance(TimeSpan.FromSeconds(30));
        await ExpectAsync(ws, "ping");
        await CancelAsync(id);
    }

    [Fact]
    public async Task A_client_ping_gets_a_pong_and_a_client_pong_is_accepted_silently()
    {
        var id = await StartHungSessionAsync("n002");
        await using var ws = await ConnectAsync(Server, id);
        await ExpectAsync(ws, "connected");

        await ws.SendTextAsync("""{"type":"pong"}""");
        await ws.SendTextAsync("""{"type":"ping"}""");

        // Frames leave in order: had the pong been answered (an error, say), it would come first.
        var pong = await ExpectAsync(ws, "pong");
        ConnectTests.AssertControlEnvelope(pong, id);
        Assert.False(pong.ContainsKey("data"), $"a pong carries data: {pong.ToJsonString()}");
        await CancelAsync(id);
    }

    [Fact]
    public async Task An_idle_connection_gets_an_idle_timeout_error_then_close_4408()
    {
        var id = await StartHungSessionAsync("n003");
        await using var ws = await ConnectAsync(Server, id);
        await ExpectAsync(ws, "connected");

        _clock.Advance(TimeSpan.FromSeconds(601));
        var frames = await ReadToCloseAsync(ws, (WebSocketCloseStatus)4408);

        Assert.All(frames[..^1], f => Assert.Equal("ping", Type(f)));
        var error = frames[^1];
        Assert.Equal("error", Type(error));
        ConnectTests.AssertControlEnvelope(error, id);
        var data = Data(error);
        Assert.Equal("idle_timeout", data["error_type"]!.GetValue<string>());
        Assert.True(data["recoverable"]!.GetValue<bool>());
        Assert.True(data["retry_after"]!.GetValue<int>() >= 0);
        Assert.False(string.IsNullOrWhiteSpace(data["message"]!.GetValue<string>()));
        await WaitForOpenConnectionsAsync(0);
        await CancelAsync(id);
    }

    [Fact]
    public async Task A_client_message_resets_the_idle_clock()
    {
        var id = await StartHungSessionAsync("n004");
        await using var ws = await ConnectAsync(Server, id);
        await ExpectAsync(ws, "connected");

        _clock.Advance(TimeSpan.FromSeconds(590));
        await ExpectAsync(ws, "ping");
        await ws.SendTextAsync("""{"type":"ping"}""");
        await ExpectAsync(ws, "pong");

        // 620 s after the start, 30 s after the client's message: a heartbeat, not the idle close.
        _clock.Advance(TimeSpan.FromSeconds(30));
        await ExpectAsync(ws, "ping");

        // 600 s after the client's message, with nothing in between from either side: closed.
        _clock.Advance(TimeSpan.FromSeconds(570));
        var frames = await ReadToCloseAsync(ws, (WebSocketCloseStatus)4408);
        Assert.Equal("idle_timeout", Data(frames[^1])["error_type"]!.GetValue<string>());
        await CancelAsync(id);
    }

    [Fact]
    public async Task Every_connection_gets_session_completed_then_close_1000_when_the_session_ends()
    {
        var id = await StartHungSessionAsync("n005", "n006");
        var clients = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => ConnectAsync(Server, id)));
        try
        {
            await Task.WhenAll(clients.Select(ws => ExpectAsync(ws, "connected")));

            await CancelAsync(id);
            var ends = await Task.WhenAll(clients.Select(ws => ReadToCloseAsync(ws, WebSocketCloseStatus.NormalClosure)));

            foreach (var frames in ends)
            {
                var end = Assert.Single(frames);
                Assert.Equal("session_completed", Type(end));
                Assert.Equal("cancelled", Data(end)["status"]!.GetValue<string>());
            }
        }
        finally
        {
            foreach (var ws in clients)
            {
                await ws.DisposeAsync();
            }
        }

        await WaitForOpenConnectionsAsync(0);
    }

    [Fact]
    public async Task A_client_that_closes_or_vanishes_is_let_go_and_no_longer_counted()
    {
        var id = await StartHungSessionAsync("n007");
        await WaitForOpenConnectionsAsync(0);
        var closing = await ConnectAsync(Server, id);
        var vanishing = await ConnectAsync(Server, id);
        await using var staying = await ConnectAsync(Server, id);
        foreach (var ws in new[] { closing, vanishing, staying })
        {
            await ExpectAsync(ws, "connected");
        }

        await WaitForOpenConnectionsAsync(3);

        await closing.CloseAsync().WaitAsync(Within);
        Assert.Equal(WebSocketState.Closed, closing.State);
        await closing.DisposeAsync();
        await WaitForOpenConnectionsAsync(2);

        vanishing.Abort();
        await vanishing.DisposeAsync();
        await WaitForOpenConnectionsAsync(1);

        // The one left is still served.
        await staying.SendTextAsync("""{"type":"ping"}""");
        await ExpectAsync(staying, "pong");
        await CancelAsync(id);
        await ReadToCloseAsync(staying, WebSocketCloseStatus.NormalClosure);
        await WaitForOpenConnectionsAsync(0);
    }
}
