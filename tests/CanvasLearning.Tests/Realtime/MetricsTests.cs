using System.Net.WebSockets;
using CanvasLearning.Tests.Support;
using static CanvasLearning.Tests.Realtime.Wire;

namespace CanvasLearning.Tests.Realtime;

/// <summary>What an operator reads from <c>RealtimeMetrics</c>: open connections up and down, events sent, no session tail kept once its last watcher left.</summary>
public sealed class MetricsTests() : RealtimeTestBase(purpleNodes: 8)
{
    [Fact]
    public async Task Open_connections_go_up_and_down_and_events_sent_counts_every_event_each_client_got()
    {
        var metrics = Metrics(Server);
        await WaitForOpenConnectionsAsync(0);
        var sentBefore = metrics.EventsSent;

        var id = await StartSessionAsync("n001", "n002", "n003", "n004");
        await using var first = await ConnectAsync(Server, id, "?last_seq=0");
        await using var second = await ConnectAsync(Server, id, "?last_seq=0");
        var a = await ReadToCloseAsync(first, WebSocketCloseStatus.NormalClosure);
        var b = await ReadToCloseAsync(second, WebSocketCloseStatus.NormalClosure);
        await WaitForOpenConnectionsAsync(0);

        Assert.Equal(sentBefore + a.Count(IsLogged) + b.Count(IsLogged), metrics.EventsSent);
        await WaitUntilAsync(() => Tails(Server).Count == 0, "no session tail left");
    }

    [Fact]
    public async Task Open_connections_count_each_client_while_it_is_connected()
    {
        var metrics = Metrics(Server);
        var id = await StartHungSessionAsync("n005");
        await WaitForOpenConnectionsAsync(0);

        var clients = new List<WsClient>();
        for (var i = 1; i <= 3; i++)
        {
            clients.Add(await ConnectAsync(Server, id));
            await ExpectAsync(clients[^1], "connected");
            await WaitForOpenConnectionsAsync(i);
        }

        for (var i = 2; i >= 0; i--)
        {
            await clients[i].CloseAsync();
            await clients[i].DisposeAsync();
            await WaitForOpenConnectionsAsync(i);
        }

        await CancelAsync(id);
        await WaitUntilAsync(() => Tails(Server).Count == 0, "no session tail left");
    }
}
