using System.Net.WebSockets;
using System.Text.Json.Nodes;

namespace CanvasLearning.Bench;

internal static class BenchCanvas
{
    public static readonly System.Diagnostics.Stopwatch Clock = System.Diagnostics.Stopwatch.StartNew();

    public static string Generate(int nodes)
    {
        var list = new JsonArray();
        for (var i = 0; i < nodes; i++)
        {
            list.Add(new JsonObject
            {
                ["id"] = $"n{i:0000}",
                ["type"] = "text",
                ["text"] = $"What is concept {i}?",
                ["x"] = i % 20 * 400,
                ["y"] = i / 20 * 600,
                ["width"] = 300,
                ["height"] = 120,
                ["color"] = "3",
            });
        }

        return new JsonObject { ["nodes"] = list, ["edges"] = new JsonArray() }.ToJsonString();
    }

    public static JsonObject Confirm(int nodes) => new()
    {
        ["canvas_path"] = "bench.canvas",
        ["groups"] = new JsonArray(new JsonObject
        {
            ["group_id"] = "g1",
            ["agent_type"] = "oral-explanation",
            ["node_ids"] = new JsonArray(Enumerable.Range(0, nodes).Select(i => (JsonNode)$"n{i:0000}"!).ToArray()),
        }),
    };

    private static readonly byte[] TaskCompletedMarker = "\"type\":\"task_completed\""u8.ToArray();

    /// <summary>
    /// reads frames until the server closes: how many arrived, how many of them were task_completed,
    /// when the first node event came (frame 3, after connected and the start progress), when it closed.
    /// </summary>
    public static async Task<(int Frames, int TaskCompleted, TimeSpan FirstEvent, TimeSpan Closed)> CountUntilClosedAsync(ClientWebSocket socket)
    {
        var buffer = new byte[16 * 1024];
        var frames = 0;
        var completed = 0;
        var firstEvent = TimeSpan.MaxValue;
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                socket.Dispose();
                return (frames, completed, firstEvent, Clock.Elapsed);
            }

            // Frames are small: one receive holds a whole frame, the type near its start.
            if (buffer.AsSpan(0, result.Count).IndexOf(TaskCompletedMarker) >= 0)
            {
                completed++;
            }

            if (result.EndOfMessage && ++frames == 3)
            {
                firstEvent = Clock.Elapsed;
            }
        }
    }

}
