using System.Diagnostics;
using System.Net.WebSockets;
using CanvasLearning.Tests.Support;
using static CanvasLearning.Tests.Realtime.Wire;

namespace CanvasLearning.Tests.Realtime;

/// <summary>Stopping the server: every connection gets <c>error</c> (<c>server_shutdown</c>) and close 1012, and the stop is bounded. Each test owns its server.</summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task Stopping_the_server_tells_every_client_server_shutdown_then_closes_1012_within_a_bound()
    {
        using var vault = new TestVault(purpleNodes: 3);
        var server = await TestServer.StartAsync(vault);
        try
        {
            server.Agent!.Hang["n001"] = true;
            server.Agent.Hang["n002"] = true;
            var live = await ConfirmAsync(server, vault, ["n001", "n002"]);
            await WaitForStartsAsync(server, 2);
            var clients = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => ConnectAsync(server, live)));
            await Task.WhenAll(clients.Select(ws => ExpectAsync(ws, "connected")));
            await WaitUntilAsync(() => Metrics(server).OpenConnections == 3, "3 open connections");
            var reading = clients.Select(ws => ReadToCloseAsync(ws, (WebSocketCloseStatus)1012)).ToList();

            var clock = Stopwatch.StartNew();
            await server.App.StopAsync().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"StopAsync took {clock.Elapsed.TotalSeconds:F1} s");

            foreach (var frames in await Task.WhenAll(reading))
            {
                var error = Assert.Single(frames);
                Assert.Equal("error", Type(error));
                ConnectTests.AssertControlEnvelope(error, live);
                var data = Data(error);
                Assert.Equal("server_shutdown", data["error_type"]!.GetValue<string>());
                Assert.True(data["recoverable"]!.GetValue<bool>());
                Assert.True(data["retry_after"]!.GetValue<int>() > 0);
            }

            Assert.Equal(0, Metrics(server).OpenConnections);
            foreach (var ws in clients)
            {
                await ws.DisposeAsync();
            }
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_client_that_does_not_answer_the_close_does_not_hold_the_stop_past_its_bound()
    {
        using var vault = new TestVault(purpleNodes: 1);
        // Without the shutdown bound (1 s), the stop would wait out the close wait of 300 s.
        var server = await TestServer.StartAsync(vault, settings: new Dictionary<string, string?>
        {
            ["Realtime:ShutdownTimeoutSeconds"] = "1",
            ["Realtime:CloseTimeoutSeconds"] = "300",
        });
        try
        {
            server.Agent!.Hang["n001"] = true;
            var live = await ConfirmAsync(server, vault, ["n001"]);
            await WaitForStartsAsync(server, 1);
            await using var silent = await StalledClient.ConnectAsync(server, live);
            await WaitUntilAsync(() => Metrics(server).OpenConnections == 1, "1 open connection");

            await server.App.StopAsync().WaitAsync(TimeSpan.FromSeconds(120));

            var frames = await silent.DrainAsync(TimeSpan.FromSeconds(5));
            Assert.True(silent.Failure is null, $"after {string.Join(", ", frames.Select(Type))}: {silent.Failure}");
            Assert.Equal(["connected", "error"], frames.Select(Type));
            Assert.Equal((WebSocketCloseStatus)1012, silent.CloseStatus);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    /// <summary>Waits until the session's hanging calls began: the session logs nothing more until it is stopped.</summary>
    private static async Task WaitForStartsAsync(TestServer server, int count)
    {
        for (var i = 0; i < count; i++)
        {
            Assert.True(await server.Agent!.Started.WaitAsync(Within), $"only {i} of {count} agent calls started");
        }
    }
}
