using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using CanvasLearning.Tests.Support;

namespace CanvasLearning.Tests.Realtime;

public sealed class StreamTests : IAsyncLifetime
{
    private readonly TestVault _vault = new(purpleNodes: 12);
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(_vault);

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _vault.Dispose();
    }

    [Fact]
    public async Task A_client_sees_connected_then_every_event_in_seq_order_then_close_1000()
    {
        foreach (var id in _vault.NodeIds)
        {
            _server.Agent!.Hang[id] = true;
        }

        var session = await ConfirmAsync();
        await using var ws = await WsClient.ConnectAsync(_server, session, "?last_seq=0");
        var connected = await ws.ReceiveAsync();
        Assert.Equal("connected", connected!["type"]!.GetValue<string>());
        Assert.Null(connected["seq"]);
        Assert.Equal(30, connected["data"]!["heartbeat_interval"]!.GetValue<int>());

        _server.Agent!.Hang.Clear();
        await _server.Client.PostAsync($"/api/v1/canvas/intelligent-parallel/cancel/{session}", null);
        var frames = await ws.ReceiveAllAsync();

        Assert.Equal(WebSocketCloseStatus.NormalClosure, ws.CloseStatus);
        var seqs = frames.Select(f => f["seq"]!.GetValue<long>()).ToList();
        Assert.Equal(Enumerable.Range(1, seqs.Count).Select(i => (long)i), seqs);
        Assert.Equal("session_completed", frames[^1]["type"]!.GetValue<string>());
        Assert.All(frames, f => Assert.Equal(session, f["task_id"]!.GetValue<string>()));
    }

    private async Task<string> ConfirmAsync()
    {
        var response = await _server.Client.PostAsJsonAsync("/api/v1/canvas/intelligent-parallel/confirm", new JsonObject
        {
            ["canvas_path"] = _vault.CanvasPath,
            ["groups"] = new JsonArray(new JsonObject
            {
                ["group_id"] = "g1",
                ["agent_type"] = "oral-explanation",
                ["node_ids"] = new JsonArray(_vault.NodeIds.Select(id => (JsonNode)id!).ToArray()),
            }),
        });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["session_id"]!.GetValue<string>();
    }
}
