using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using CanvasLearning.Tests.Support;

namespace CanvasLearning.Tests.Realtime;

/// <summary>
/// A real WebSocket client that connects and then does not read, over a TCP socket with a small
/// receive buffer so the kernel absorbs little of what the server sends. <see cref="DrainAsync"/>
/// reads what was buffered, to the close.
/// </summary>
internal sealed class StalledClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly HttpMessageInvoker _invoker;

    private StalledClient(ClientWebSocket socket, HttpMessageInvoker invoker) => (_socket, _invoker) = (socket, invoker);

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public string? CloseDescription => _socket.CloseStatusDescription;

    /// <param name="receiveBufferBytes">The socket's receive buffer; the default (1) gets the kernel's minimum, about 2 KiB on Linux.</param>
    public static async Task<StalledClient> ConnectAsync(TestServer server, string sessionId, string query = "", int receiveBufferBytes = 1)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = receiveBufferBytes, NoDelay = true };
                try
                {
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        var invoker = new HttpMessageInvoker(handler);
        var ws = new ClientWebSocket();
        var uri = new UriBuilder(server.BaseAddress) { Scheme = "ws", Path = $"/ws/intelligent-parallel/{sessionId}", Query = query.TrimStart('?') }.Uri;
        await ws.ConnectAsync(uri, invoker, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        return new StalledClient(ws, invoker);
    }

    /// <summary>Why the connection ended without a close frame, when it did.</summary>
    public WebSocketException? Failure { get; private set; }

    /// <summary>Reads every frame until the server closes (or the connection breaks: see <see cref="Failure"/>).</summary>
    public async Task<List<JsonObject>> DrainAsync(TimeSpan timeout)
    {
        var frames = new List<JsonObject>();
        var buffer = new byte[64 * 1024];
        using var text = new MemoryStream();
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            ValueWebSocketReceiveResult result;
            try
            {
                result = await _socket.ReceiveAsync(buffer.AsMemory(), cts.Token);
            }
            catch (WebSocketException ex)
            {
                Failure = ex;
                return frames;
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                try
                {
                    // The server may have given up waiting for this answer already.
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                }
                catch (WebSocketException)
                {
                }

                return frames;
            }

            text.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                frames.Add((JsonObject)JsonNode.Parse(Encoding.UTF8.GetString(text.ToArray()))!);
                text.SetLength(0);
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Abort();
        _socket.Dispose();
        _invoker.Dispose();
        return ValueTask.CompletedTask;
    }
}
