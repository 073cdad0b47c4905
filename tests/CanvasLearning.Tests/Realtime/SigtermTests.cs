using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CanvasLearning.Tests.Support;
using Xunit.Abstractions;

namespace CanvasLearning.Tests.Realtime;

public sealed class SigtermTests(ITestOutputHelper output) : IDisposable
{
    private readonly TestVault _vault = new(purpleNodes: 4);

    public void Dispose() => _vault.Dispose();

    [Fact]
    public async Task On_SIGTERM_every_client_gets_server_shutdown_and_close_1012_and_the_process_exits()
    {
        using var server = await ChildServer.StartAsync(_vault.Root, new Dictionary<string, string>
        {
            // Long enough that the session is still running when the signal arrives.
            ["CANVAS_LEARNING_Agents__Offline__SimulatedLatencyMilliseconds"] = "600000",

            // For the output shown when the test fails: when each step happened, the WebSocket
            // connections' lives, and how Kestrel ended each connection (FIN or RST).
            ["CANVAS_LEARNING_Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ",
            ["CANVAS_LEARNING_Logging__LogLevel__CanvasLearning.Realtime"] = "Debug",
            ["CANVAS_LEARNING_Logging__LogLevel__Microsoft.AspNetCore.Server.Kestrel"] = "Debug",
        });
        try
        {
            await ConnectAndTerminateAsync(server);
        }
        finally
        {
            output.WriteLine(server.Output);
        }
    }

    [Fact]
    public async Task A_client_that_never_answers_the_close_gets_the_whole_shutdown_bound_and_the_process_still_exits_cleanly()
    {
        using var server = await ChildServer.StartAsync(_vault.Root, new Dictionary<string, string>
        {
            // The session is still running when the signal arrives.
            ["CANVAS_LEARNING_Agents__Offline__SimulatedLatencyMilliseconds"] = "600000",

            // Longer than the 2 s System.CommandLine grants by default before it ends the process.
            ["CANVAS_LEARNING_Realtime__ShutdownTimeoutSeconds"] = "3",
            ["CANVAS_LEARNING_Realtime__CloseTimeoutSeconds"] = "3",
        });
        var session = await StartSessionAsync(server);
        await using var silent = await WsClient.ConnectAsync(server.BaseAddress, $"/ws/intelligent-parallel/{session}");
        Assert.Equal("connected", (await silent.ReceiveAsync())!["type"]!.GetValue<string>());

        // The client stops reading: it never answers the server's close frame.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        server.Terminate();

        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(2.5), $"exited after {clock.Elapsed.TotalSeconds:0.0} s: shutdown was cut short");
    }

    private async Task<string> StartSessionAsync(ChildServer server)
    {
        var confirm = await server.Client.PostAsJsonAsync("/api/v1/canvas/intelligent-parallel/confirm", new JsonObject
        {
            ["canvas_path"] = _vault.CanvasPath,
            ["groups"] = new JsonArray(new JsonObject
            {
                ["group_id"] = "g1",
                ["agent_type"] = "oral-explanation",
                ["node_ids"] = new JsonArray(_vault.NodeIds.Select(id => (JsonNode)id!).ToArray()),
            }),
        });
        return (await confirm.Content.ReadFromJsonAsync<JsonObject>())!["session_id"]!.GetValue<string>();
    }

    private async Task ConnectAndTerminateAsync(ChildServer server)
    {
        var session = await StartSessionAsync(server);
        await using var first = await WsClient.ConnectAsync(server.BaseAddress, $"/ws/intelligent-parallel/{session}");
        await using var second = await WsClient.ConnectAsync(server.BaseAddress, $"/ws/intelligent-parallel/{session}?last_seq=0");
        Assert.Equal("connected", (await first.ReceiveAsync())!["type"]!.GetValue<string>());
        Assert.Equal("connected", (await second.ReceiveAsync())!["type"]!.GetValue<string>());

        server.Terminate();

        foreach (var client in new[] { first, second })
        {
            var frames = await client.ReceiveAllAsync(TimeSpan.FromSeconds(20));
            var error = frames[^1];
            Assert.Equal("error", error["type"]!.GetValue<string>());
            Assert.Equal("server_shutdown", error["data"]!["error_type"]!.GetValue<string>());
            Assert.True(error["data"]!["recoverable"]!.GetValue<bool>());
            Assert.True(error["data"]!["retry_after"]!.GetValue<int>() >= 0);
            Assert.Equal(1012, (int)client.CloseStatus!);
        }

        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }
}
