using System.Net.WebSockets;
using System.Text;
using CanvasLearning.Realtime;

namespace CanvasLearning.Tests.Realtime;

/// <summary>The frames one write carries are read back, one message each, by .NET's own WebSocket client.</summary>
public sealed class FrameBufferTests
{
    [Fact]
    public async Task Frames_of_every_length_class_are_read_back_as_the_same_text_messages()
    {
        var payloads = new[] { 0, 1, 125, 126, 127, 65_535, 65_536, 200_000 }
            .Select(n => string.Concat(Enumerable.Range(0, n).Select(i => (char)('a' + (i % 26)))))
            .Append("{\"type\":\"task_completed\",\"text\":\"似懂非懂 📦\"}")
            .ToList();
        var frames = default(FrameBuffer);
        foreach (var payload in payloads)
        {
            frames.AppendText(Encoding.UTF8.GetBytes(payload));
        }

        Assert.Equal(payloads.Count, frames.Count);
        using var client = WebSocket.CreateFromStream(new MemoryStream(frames.Memory.ToArray()), new WebSocketCreationOptions { IsServer = false });
        frames.Return();
        var buffer = new byte[300_000];
        foreach (var expected in payloads)
        {
            var length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                result = await client.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                length += result.Count;
            }
            while (!result.EndOfMessage);

            Assert.Equal(WebSocketMessageType.Text, result.MessageType);
            Assert.Equal(expected, Encoding.UTF8.GetString(buffer, 0, length));
        }
    }
}
