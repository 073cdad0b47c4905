using System.Net.WebSockets;
using CanvasLearning.Tests.Support;
using static CanvasLearning.Tests.Realtime.Wire;

namespace CanvasLearning.Tests.Realtime;

/// <summary>Caps on connections: per session (<c>Realtime:MaxConnectionsPerSession</c>) and per server (<c>Realtime:MaxConnections</c>); beyond them, close 4013.</summary>
public sealed class ConnectionCapTests() : RealtimeTestBase(purpleNodes: 4)
{
    protected override Dictionary<string, string?> Settings() => new()
    {
        ["Realtime:MaxConnectionsPerSession"] = "2",
        ["Realtime:MaxConnections"] = "3",
    };

    [Fact]
    public async Task Beyond_the_session_cap_and_the_server_cap_a_connection_is_closed_with_4013()
    {
        var a = await StartHungSessionAsync("n001");
        var b = await StartHungSessionAsync("n002");
        var c = await StartHungSessionAsync("n003");
        var open = new List<WsClient>();
        try
        {
            open.Add(await ConnectedAsync(a));
            open.Add(await ConnectedAsync(a));
            await AssertRefusedAsync(Server, a, (WebSocketCloseStatus)4013);

            // Another session is still fine, up to the server's cap of 3.
            open.Add(await ConnectedAsync(b));
            await AssertRefusedAsync(Server, c, (WebSocketCloseStatus)4013);
            await AssertRefusedAsync(Server, b, (WebSocketCloseStatus)4013);

            // A place freed is a place taken again.
            await open[0].CloseAsync();
            await open[0].DisposeAsync();
            open.RemoveAt(0);
            await WaitForOpenConnectionsAsync(2);
            open.Add(await ConnectedAsync(c));
            await WaitForOpenConnectionsAsync(3);
        }
        finally
        {
            foreach (var ws in open)
            {
                await ws.DisposeAsync();
            }
        }

        await WaitForOpenConnectionsAsync(0);
        await AssertServesAsync(Server, a);
        foreach (var id in new[] { a, b, c })
        {
            await CancelAsync(id);
        }
    }

    private async Task<WsClient> ConnectedAsync(string sessionId)
    {
        var ws = await ConnectAsync(Server, sessionId);
        await ExpectAsync(ws, "connected");
        return ws;
    }
}
