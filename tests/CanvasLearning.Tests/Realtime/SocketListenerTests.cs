using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using static CanvasLearning.Tests.Realtime.Wire;

namespace CanvasLearning.Tests.Realtime;

/// <summary>
/// Sockets taken straight off the connection, over raw TCP as a client's bytes may arrive: a head
/// in pieces, frames right behind it; and what is not a handshake the listener can take reaches the
/// web server as it was sent.
/// </summary>
public sealed class SocketListenerTests() : RealtimeTestBase(purpleNodes: 2)
{
    private static string Head(string target, string version = "13") =>
        $"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        $"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: {version}\r\n\r\n";

    [Fact]
    public async Task A_handshake_arriving_a_byte_at_a_time_is_answered_and_the_stream_starts()
    {
        var id = await StartHungSessionAsync("n001");
        using var tcp = await ConnectAsync();
        var stream = tcp.GetStream();

        foreach (var b in Encoding.ASCII.GetBytes(Head($"/ws/intelligent-parallel/{id}")))
        {
            await stream.WriteAsync(new[] { b });
            await stream.FlushAsync();
        }

        var head = await ReadHeadAsync(stream);
        Assert.StartsWith("HTTP/1.1 101 ", head, StringComparison.Ordinal);
        Assert.Contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n", head, StringComparison.Ordinal);
        var connected = await ReadTextFrameAsync(stream);
        Assert.Equal("connected", Type(connected));
        Assert.Equal(id, connected["session_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_frame_sent_right_behind_the_head_is_read_as_the_first_message()
    {
        var id = await StartHungSessionAsync("n001");
        using var tcp = await ConnectAsync();
        var stream = tcp.GetStream();

        await stream.WriteAsync(Encoding.ASCII.GetBytes(Head($"/api/v1/ws/intelligent-parallel/{id}")).Concat(MaskedText("""{"type":"ping"}""")).ToArray());

        Assert.StartsWith("HTTP/1.1 101 ", await ReadHeadAsync(stream), StringComparison.Ordinal);
        Assert.Equal("connected", Type(await ReadTextFrameAsync(stream)));
        JsonObject frame;
        do
        {
            frame = await ReadTextFrameAsync(stream);
        }
        while (IsLogged(frame));

        Assert.Equal("pong", Type(frame));
    }

    [Fact]
    public async Task A_handshake_of_another_websocket_version_reaches_the_web_server_which_refuses_it()
    {
        var id = await StartHungSessionAsync("n001");
        using var tcp = await ConnectAsync();
        var stream = tcp.GetStream();

        await stream.WriteAsync(Encoding.ASCII.GetBytes(Head($"/ws/intelligent-parallel/{id}", version: "8")));

        var head = await ReadHeadAsync(stream);
        Assert.StartsWith("HTTP/1.1 400 ", head, StringComparison.Ordinal);
        Assert.Contains("application/problem+json", head, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_percent_encoded_session_path_is_served_by_the_web_servers_socket_support()
    {
        var id = await StartHungSessionAsync("n001");
        using var tcp = await ConnectAsync();
        var stream = tcp.GetStream();

        await stream.WriteAsync(Encoding.ASCII.GetBytes(Head($"/ws/intelligent-parallel/%{(int)id[0]:X2}{id[1..]}")));

        Assert.StartsWith("HTTP/1.1 101 ", await ReadHeadAsync(stream), StringComparison.Ordinal);
        var connected = await ReadTextFrameAsync(stream);
        Assert.Equal("connected", Type(connected));
        Assert.Equal(id, connected["session_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_socket_for_an_unknown_session_is_accepted_then_closed_with_4004()
    {
        using var tcp = await ConnectAsync();
        var stream = tcp.GetStream();

        await stream.WriteAsync(Encoding.ASCII.GetBytes(Head("/ws/intelligent-parallel/ip-nobody")));

        Assert.StartsWith("HTTP/1.1 101 ", await ReadHeadAsync(stream), StringComparison.Ordinal);
        var (opcode, payload) = await ReadFrameAsync(stream);
        Assert.Equal(0x8, opcode);
        Assert.Equal(4004, (payload[0] << 8) | payload[1]);
    }

    private async Task<TcpClient> ConnectAsync()
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(Server.BaseAddress.Host, Server.BaseAddress.Port);
        return tcp;
    }

    private static async Task<string> ReadHeadAsync(NetworkStream stream)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (!(head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
        {
            Assert.True(await stream.ReadAsync(one).AsTask().WaitAsync(Within) == 1, "the connection ended inside the response head");
            head.Add(one[0]);
        }

        return Encoding.ASCII.GetString([.. head]);
    }

    private static async Task<JsonObject> ReadTextFrameAsync(NetworkStream stream)
    {
        var (opcode, payload) = await ReadFrameAsync(stream);
        Assert.Equal(0x1, opcode);
        return JsonNode.Parse(payload)!.AsObject();
    }

    /// <summary>One unfragmented server frame (servers do not mask).</summary>
    private static async Task<(int Opcode, byte[] Payload)> ReadFrameAsync(NetworkStream stream)
    {
        var header = await ReadExactlyAsync(stream, 2);
        long length = header[1] & 0x7F;
        if (length == 126)
        {
            var more = await ReadExactlyAsync(stream, 2);
            length = (more[0] << 8) | more[1];
        }
        else if (length == 127)
        {
            var more = await ReadExactlyAsync(stream, 8);
            length = (long)System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(more);
        }

        return (header[0] & 0x0F, await ReadExactlyAsync(stream, (int)length));
    }

    private static async Task<byte[]> ReadExactlyAsync(NetworkStream stream, int count)
    {
        var bytes = new byte[count];
        await stream.ReadExactlyAsync(bytes).AsTask().WaitAsync(Within);
        return bytes;
    }

    /// <summary>A client's text frame: final, masked (RFC 6455 §5.3), short.</summary>
    private static byte[] MaskedText(string text)
    {
        var payload = Encoding.UTF8.GetBytes(text);
        byte[] mask = [0x37, 0xFA, 0x21, 0x3D];
        return [0x81, (byte)(0x80 | payload.Length), .. mask, .. payload.Select((b, i) => (byte)(b ^ mask[i % 4]))];
    }
}

/// <summary>With <c>Realtime:DirectSockets</c> off, every socket goes through ASP.NET Core's WebSocket support, and behaves the same.</summary>
public sealed class WebServerSocketTests() : RealtimeTestBase(purpleNodes: 2)
{
    protected override Dictionary<string, string?> Settings() => new() { ["Realtime:DirectSockets"] = "false" };

    [Fact]
    public async Task A_socket_is_served_and_answers_a_ping() =>
        await AssertServesAsync(Server, await StartHungSessionAsync("n001"));

    [Fact]
    public async Task A_socket_from_a_foreign_origin_is_closed_with_4003() =>
        await AssertRefusedAsync(Server, await StartHungSessionAsync("n002"), (WebSocketCloseStatus)4003, origin: "https://evil.example");

    [Fact]
    public async Task A_watcher_gets_the_session_to_its_end_then_a_normal_close()
    {
        var id = await StartHungSessionAsync("n001");
        await using var ws = await Wire.ConnectAsync(Server, id);
        await ExpectAsync(ws, "connected");

        await CancelAsync(id);

        var frames = await ReadToCloseAsync(ws, WebSocketCloseStatus.NormalClosure);
        Assert.Equal("session_completed", Type(frames[^1]));
    }
}
