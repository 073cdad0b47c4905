using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using CanvasLearning.Sessions;

namespace CanvasLearning.Realtime;

internal sealed partial class SessionConnection
{
    private long _windowStart;
    private int _windowCount;
    private bool _warnedThisWindow;

    /// <summary>Reads client messages until the client closes or goes away. Bad input gets an <c>error</c> or a close, never a crash.</summary>
    /// <remarks>
    /// While waiting for the client the connection holds no buffer: a zero-byte receive waits for
    /// the next message to begin, and only then is a buffer rented for it. That wait holds no
    /// cancellation either: the connection's end aborts the socket when the client has not closed it.
    /// </remarks>
    private async Task ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var start = await socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None);
                var (type, length, tooBig) = (start.MessageType, 0, false);
                var buffer = ArrayPool<byte>.Shared.Rent(options.MaxMessageBytes);
                try
                {
                    if (type != WebSocketMessageType.Close && !start.EndOfMessage)
                    {
                        (type, length, tooBig) = await ReceiveMessageAsync(buffer.AsMemory(0, options.MaxMessageBytes), cancellationToken);
                    }

                    if (!OnMessage(type, buffer.AsSpan(0, length), tooBig))
                    {
                        return;
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client vanished (or the connection is stopping): the writer stops with it.
            await StopAsync();
        }
    }

    /// <summary>Handles one client message; false when the client closed.</summary>
    private bool OnMessage(WebSocketMessageType type, ReadOnlySpan<byte> message, bool tooBig)
    {
        if (type == WebSocketMessageType.Close)
        {
            Outbox.RequestClose(WebSocketCloseStatus.NormalClosure, "closed by the client");
            return false;
        }

        // Once a close is asked for, the reader only drains: unread data left on the socket
        // would turn the close into a TCP reset, and the client would see 1006, not the code.
        if (Outbox.Closing)
        {
            return true;
        }

        if (tooBig)
        {
            Outbox.RequestClose(CloseCodes.MessageTooBig, $"messages are limited to {options.MaxMessageBytes} bytes");
            return true;
        }

        Touch();
        if (!WithinRate())
        {
            return true;
        }

        if (type == WebSocketMessageType.Binary)
        {
            SendError("unsupported_message", "binary frames are not part of the protocol; send JSON text such as {\"type\":\"ping\"}");
            return true;
        }

        Handle(message);
        return true;
    }

    /// <summary>One whole message; past the buffer's size the rest is read and dropped, and it is reported too big.</summary>
    private async Task<(WebSocketMessageType Type, int Length, bool TooBig)> ReceiveMessageAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var length = 0;
        var tooBig = false;
        while (true)
        {
            var into = length < buffer.Length ? buffer[length..] : buffer;
            var result = await socket.ReceiveAsync(into, cancellationToken);
            if (length < buffer.Length)
            {
                length += result.Count;
            }
            else
            {
                tooBig = true;
            }

            if (result.EndOfMessage || result.MessageType == WebSocketMessageType.Close)
            {
                return (result.MessageType, length, tooBig);
            }
        }
    }

    private void Handle(ReadOnlySpan<byte> message)
    {
        // A bare text "ping" (what many clients' keep-alive helpers send) is answered like {"type":"ping"}.
        if (message.SequenceEqual("ping"u8))
        {
            Outbox.EnqueueControl(ControlFrames.Pong(SessionId, time.GetUtcNow()));
            return;
        }

        string? type = null;
        try
        {
            var reader = new Utf8JsonReader(message);
            using var doc = JsonDocument.ParseValue(ref reader);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String)
            {
                type = t.GetString();
            }
        }
        catch (JsonException)
        {
            SendError("invalid_message", "the message is not valid JSON; send an object such as {\"type\":\"ping\"}");
            return;
        }

        switch (type)
        {
            case EventTypes.Ping:
                Outbox.EnqueueControl(ControlFrames.Pong(SessionId, time.GetUtcNow()));
                break;
            case EventTypes.Pong:
                break;
            case null:
                SendError("invalid_message", "the message needs a string \"type\"; the client may send \"ping\" and \"pong\"");
                break;
            default:
                SendError("unknown_message_type", $"unknown message type '{Truncate(type)}'; the client may send \"ping\" and \"pong\"");
                break;
        }
    }

    /// <summary>
    /// At most <c>MaxMessagesPerSecond</c> messages a second are handled; the rest are dropped with one
    /// <c>rate_limited</c> error a second, and a client that sends three times the limit is closed.
    /// </summary>
    private bool WithinRate()
    {
        var now = time.GetUtcNow().UtcTicks;
        if (now - _windowStart >= TimeSpan.TicksPerSecond)
        {
            (_windowStart, _windowCount, _warnedThisWindow) = (now, 0, false);
        }

        _windowCount++;
        if (_windowCount <= options.MaxMessagesPerSecond)
        {
            return true;
        }

        if (_windowCount > options.MaxMessagesPerSecond * 3)
        {
            Outbox.RequestClose(CloseCodes.RateLimited, "too many messages");
        }
        else if (!_warnedThisWindow)
        {
            _warnedThisWindow = true;
            SendError("rate_limited", $"more than {options.MaxMessagesPerSecond} messages a second; extra messages are dropped", retryAfter: 1);
        }

        return false;
    }

    private void SendError(string errorType, string message, int? retryAfter = null) =>
        Outbox.EnqueueControl(ControlFrames.Error(SessionId, time.GetUtcNow(), errorType, message, recoverable: true, retryAfter));

    private static string Truncate(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
