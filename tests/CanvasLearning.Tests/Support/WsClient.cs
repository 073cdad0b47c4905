using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace CanvasLearning.Tests.Support;

/// <summary>A real WebSocket client for tests: reads JSON frames until the server closes.</summary>
public sealed class WsClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;

    private WsClient(ClientWebSocket socket) => _socket = socket;

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public string? CloseDescription => _socket.CloseStatusDescription;

    public WebSocketState State => _socket.State;

    public static async Task<WsClient> ConnectAsync(Uri httpBase, string pathAndQuery, string? origin = null)
    {
        var socket = new ClientWebSocket();
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        var uri = new UriBuilder(httpBase) { Scheme = "ws" }.Uri;
        await socket.ConnectAsync(new Uri(uri, pathAndQuery), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        return new WsClient(socket);
    }

    public static Task<WsClient> ConnectAsync(TestServer server, string sessionId, string query = "", string? origin = null) =>
        ConnectAsync(server.BaseAddress, $"/ws/intelligent-parallel/{sessionId}{query}", origin);

    /// <summary>The next JSON frame, or null when the server closed.</summary>
    public async Task<JsonObject?> ReceiveAsync(TimeSpan? timeout = null)
    {
        var buffer = new byte[64 * 1024];
        using var text = new MemoryStream();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, cts.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                if (_socket.State == WebSocketState.CloseReceived)
                {
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                }

                return null;
            }

            text.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return (JsonObject)JsonNode.Parse(Encoding.UTF8.GetString(text.ToArray()))!;
            }
        }
    }

    /// <summary>Every frame until the server closes.</summary>
    public async Task<List<JsonObject>> ReceiveAllAsync(TimeSpan? timeout = null)
    {
        var frames = new List<JsonObject>();
        while (await ReceiveAsync(timeout) is { } frame)
        {
            frames.Add(frame);
        }

        return frames;
    }

    public Task SendTextAsync(string text) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    public Task SendBinaryAsync(byte[] bytes) =>
        _socket.SendAsync(bytes, WebSocketMessageType.Binary, true, CancellationToken.None);

    public Task CloseAsync() => _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);

    public void Abort() => _socket.Abort();

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", cts.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                _socket.Abort();
            }
        }

        _socket.Dispose();
    }
}
