using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using CanvasLearning.Cli.Live;

namespace CanvasLearning.Cli.Remote;

/// <summary>
/// Follows one session on the service's WebSocket (docs/protocol.md): resumes with <c>last_seq</c>
/// after any break, with backoff; answers pings; gives up on the codes that say stop. When the socket
/// cannot be opened at all it polls <c>GET /{id}</c> instead.
/// </summary>
internal sealed class SocketFollower(ServiceClient client, SessionView view, Action<string> notice, TimeProvider time)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(60);
    private static readonly ReadOnlyMemory<byte> Pong = Encoding.UTF8.GetBytes("{\"type\":\"pong\"}");
    private int _attempt;
    private int? _retryAfter;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var opened = false;
        var lastContact = time.GetUtcNow();
        while (!view.Ended)
        {
            using var socket = new ClientWebSocket();
            try
            {
                await socket.ConnectAsync(client.SocketUri(view.SessionId, view.LastSeq), cancellationToken);
            }
            catch (Exception ex) when (ex is WebSocketException or HttpRequestException && !cancellationToken.IsCancellationRequested)
            {
                if (!opened)
                {
                    notice($"the WebSocket could not be opened ({ex.Message}); polling every {PollInterval.TotalSeconds:0} s instead");
                    await PollAsync(cancellationToken);
                    return;
                }

                lastContact = await PauseAsync(lastContact, cancellationToken);
                continue;
            }

            opened = true;
            lastContact = time.GetUtcNow();
            var (code, reason) = await ReceiveAsync(socket, cancellationToken);
            lastContact = time.GetUtcNow();
            if (view.Ended)
            {
                return;
            }

            switch (code)
            {
                case 4001:
                    throw new ServiceException($"the server refused the socket ({reason}) — pass --api-key <key> or set CANVAS_LEARNING_API_KEY", "unauthorized", 401);
                case 4003 or 4004 or 4400:
                    throw new ServiceException($"the server closed the socket with {code} ({reason})", code == 4004 ? "session_not_found" : "socket_refused");
                case 1000 or 4008:
                    // Ended after an earlier session_completed (a retried session), or too slow: resume at once.
                    continue;
                default:
                    notice($"the connection to the service broke ({code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no close"}); reconnecting with last_seq={view.LastSeq}");
                    lastContact = await PauseAsync(lastContact, cancellationToken);
                    break;
            }
        }
    }

    /// <summary>Reads frames until the socket closes or breaks; the close code, or null when it broke.</summary>
    private async Task<(int? Code, string? Reason)> ReceiveAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                buffer.ResetWrittenCount();
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer.GetMemory(8 * 1024), cancellationToken);
                    buffer.Advance(result.Count);
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await CloseQuietlyAsync(socket);
                    return ((int?)socket.CloseStatus, socket.CloseStatusDescription);
                }

                if (result.MessageType == WebSocketMessageType.Text)
                {
                    await HandleAsync(socket, Encoding.UTF8.GetString(buffer.WrittenSpan), cancellationToken);
                }

                if (view.Ended)
                {
                    await CloseQuietlyAsync(socket);
                    return (1000, "session ended");
                }
            }

            return ((int?)socket.CloseStatus, socket.CloseStatusDescription);
        }
        catch (WebSocketException)
        {
            return (null, null);
        }
    }

    private async Task HandleAsync(ClientWebSocket socket, string frame, CancellationToken cancellationToken)
    {
        if (FeedEvent.Parse(frame) is { } e)
        {
            view.Apply(e);
            return;
        }

        using var doc = JsonDocument.Parse(frame);
        var root = doc.RootElement;
        switch (root.TryGetProperty("type", out var t) ? t.GetString() : null)
        {
            case "connected":
                _attempt = 0;
                _retryAfter = null;
                break;
            case "ping":
                // Answering keeps the socket of a quiet session (a slow model) from the idle timeout.
                await socket.SendAsync(Pong, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
                break;
            case "error" when root.TryGetProperty("data", out var data) && data.TryGetProperty("retry_after", out var after) && after.ValueKind == JsonValueKind.Number:
                _retryAfter = after.GetInt32();
                break;
        }
    }

    /// <summary>Waits before the next attempt (backoff, or the server's retry_after), polling once meanwhile; gives up when nothing answered for a minute.</summary>
    private async Task<DateTimeOffset> PauseAsync(DateTimeOffset lastContact, CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.FromMilliseconds(Math.Min(10_000, 250 * Math.Pow(2, _attempt++)));
        await Task.Delay(_retryAfter is { } s && s > backoff.TotalSeconds ? TimeSpan.FromSeconds(s) : backoff, time, cancellationToken);
        _retryAfter = null;
        try
        {
            view.Apply(await client.GetAsync(view.SessionId, cancellationToken));
            return time.GetUtcNow();
        }
        catch (ServiceException ex) when (ex.Error == "unreachable")
        {
            if (time.GetUtcNow() - lastContact > GiveUpAfter)
            {
                throw new ServiceException($"lost the service at {client.Server} for over {GiveUpAfter.TotalSeconds:0} s; the session may go on there: canvas-learning watch {view.SessionId} when it is back", "unreachable");
            }

            return lastContact;
        }
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        var lastContact = time.GetUtcNow();
        while (!view.Ended)
        {
            try
            {
                view.Apply(await client.GetAsync(view.SessionId, cancellationToken), polled: true);
                lastContact = time.GetUtcNow();
            }
            catch (ServiceException ex) when (ex.Error == "unreachable" && time.GetUtcNow() - lastContact < GiveUpAfter)
            {
                // Keep polling a while: a restarting server comes back.
            }

            if (!view.Ended)
            {
                await Task.Delay(PollInterval, time, cancellationToken);
            }
        }
    }

    private static async Task CloseQuietlyAsync(ClientWebSocket socket)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The session is over; how the socket ends does not matter.
        }
    }
}
