using System.Net;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using static CanvasLearning.Tests.Api.ApiCalls;
using static CanvasLearning.Tests.Realtime.Wire;

namespace CanvasLearning.Tests.Realtime;

/// <summary>Opening a stream: <c>connected</c> with the session's snapshot first, for any number of clients; unknown sessions get 4004.</summary>
public sealed class ConnectTests() : RealtimeTestBase(purpleNodes: 12)
{
    private const int Clients = 20;

    [Fact]
    public async Task Every_one_of_many_connections_gets_connected_first_with_the_snapshot_of_the_session()
    {
        // A running session: of 6 nodes, 2 completed, 1 failed, 3 hanging.
        Agent.FailTimes["n001"] = 1;
        foreach (var node in new[] { "n007", "n008", "n009" })
        {
            Agent.Hang[node] = true;
        }

        var id = await StartSessionAsync("n001", "n002", "n003", "n007", "n008", "n009");
        var polled = await Server.Client.WaitForSessionAsync(id, s => Int(s, "completed_nodes") == 2 && Int(s, "failed_nodes") == 1, "2 completed and 1 failed");

        var clients = await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => ConnectAsync(Server, id)));
        try
        {
            var firsts = await Task.WhenAll(clients.Select(ws => ws.ReceiveAsync(Within)));
            await WaitForOpenConnectionsAsync(Clients);
            foreach (var connected in firsts)
            {
                Assert.NotNull(connected);
                Assert.Equal("connected", Type(connected));
                AssertControlEnvelope(connected, id);
                var data = Data(connected);
                Assert.Equal("running", data["status"]!.GetValue<string>());
                Assert.Equal(50.0, data["progress_percent"]!.GetValue<double>());
                Assert.Equal(2, data["completed_nodes"]!.GetValue<int>());
                Assert.Equal(1, data["failed_nodes"]!.GetValue<int>());
                Assert.Equal(6, data["total_nodes"]!.GetValue<int>());
                Assert.Equal(polled["last_seq"]!.GetValue<long>(), data["last_seq"]!.GetValue<long>());
                Assert.Equal(30, data["heartbeat_interval"]!.GetValue<int>());
            }

            // The end reaches every one of them too.
            await CancelAsync(id);
            var ends = await Task.WhenAll(clients.Select(ws => ReadToCloseAsync(ws, WebSocketCloseStatus.NormalClosure)));
            Assert.All(ends, frames => Assert.Equal("session_completed", Type(frames[^1])));
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
    public async Task The_snapshot_of_a_session_that_ended_says_so()
    {
        var id = await StartSessionAsync("n010", "n011");
        var polled = await Server.Client.WaitForTerminalAsync(id);

        await using var ws = await ConnectAsync(Server, id);
        var data = Data(await ExpectAsync(ws, "connected"));

        Assert.Equal("completed", data["status"]!.GetValue<string>());
        Assert.Equal(100.0, data["progress_percent"]!.GetValue<double>());
        Assert.Equal(2, data["completed_nodes"]!.GetValue<int>());
        Assert.Equal(0, data["failed_nodes"]!.GetValue<int>());
        Assert.Equal(2, data["total_nodes"]!.GetValue<int>());
        Assert.Equal(polled["last_seq"]!.GetValue<long>(), data["last_seq"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("ip-20990101-000000-0123abcd")]
    [InlineData("no-such-session")]
    [InlineData("x%20y")]
    [InlineData("a.b")]
    [InlineData("%E4%BC%9A%E8%AF%9D")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task An_unknown_session_is_accepted_then_closed_with_4004(string sessionId)
    {
        await AssertRefusedAsync(Server, sessionId, (WebSocketCloseStatus)4004);

        await AssertStillServesAsync();
    }

    [Fact]
    public async Task A_plain_GET_on_the_stream_route_is_a_400_problem()
    {
        var id = await StartSessionAsync("n011");

        using var response = await Server.Client.GetPathAsync($"/ws/intelligent-parallel/{id}");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        Assert.Contains("WebSocket", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    /// <summary>A frame that is not a logged event: the envelope without <c>seq</c>.</summary>
    internal static void AssertControlEnvelope(JsonObject frame, string sessionId)
    {
        Assert.Equal(sessionId, frame["session_id"]!.GetValue<string>());
        Assert.Equal(sessionId, frame["task_id"]!.GetValue<string>());
        Assert.False(frame.ContainsKey("seq"), $"a control frame carries a seq: {frame.ToJsonString()}");
        EventStreamTests.AssertUtcTimestamp(frame);
    }
}
