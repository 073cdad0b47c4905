using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace CanvasLearning.Realtime;

/// <summary>
/// The opening handshake of a session's socket (RFC 6455 §4.2.1), read from the first bytes of a
/// plain HTTP/1.1 connection: <c>GET /ws/intelligent-parallel/{id}</c> (or under <c>/api/v1</c>)
/// with <c>Upgrade: websocket</c>, <c>Connection: Upgrade</c>, a 16-byte <c>Sec-WebSocket-Key</c>
/// and version 13. Anything else is not ours, and is left to the web server as it arrived.
/// </summary>
/// <param name="Path">The request's path, as sent.</param>
/// <param name="QueryString">The request's query, with its <c>?</c>, as sent (empty: none).</param>
internal sealed record Handshake(string SessionId, string Path, string QueryString, string? Origin, string Key, IReadOnlyDictionary<string, StringValues> Query)
{
    /// <summary>Longest request head read here; a longer one is the web server's to refuse.</summary>
    public const int MaxHeadBytes = 8 * 1024;

    private static readonly byte[] Get = "GET "u8.ToArray();
    private static readonly byte[] EndOfHead = "\r\n\r\n"u8.ToArray();
    private static readonly byte[][] Prefixes = [Encoding.ASCII.GetBytes(RealtimeEndpoints.Prefix), Encoding.ASCII.GetBytes(RealtimeEndpoints.ApiPath)];

    internal enum Outcome
    {
        /// <summary>The bytes so far could still be our handshake: read more.</summary>
        NeedMore,

        /// <summary>Not a socket handshake of ours: give the bytes to the web server untouched.</summary>
        NotOurs,

        /// <summary>Our handshake, whole; it ends at the position given.</summary>
        Ours,
    }

    /// <summary>Reads the head at the start of <paramref name="buffer"/>.</summary>
    public static Outcome TryRead(ReadOnlySequence<byte> buffer, out Handshake? handshake, out SequencePosition end)
    {
        (handshake, end) = (null, buffer.Start);
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadTo(out ReadOnlySequence<byte> head, EndOfHead))
        {
            return buffer.Length >= MaxHeadBytes ? Outcome.NotOurs : MayBeOurs(buffer);
        }

        if (head.Length + EndOfHead.Length > MaxHeadBytes)
        {
            return Outcome.NotOurs;
        }

        end = reader.Position;
        handshake = Parse(Encoding.Latin1.GetString(head));
        return handshake is null ? Outcome.NotOurs : Outcome.Ours;
    }

    /// <summary>The answer that completes the handshake: 101 with the accept key.</summary>
    public byte[] Response() => Encoding.ASCII.GetBytes(
        $"HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: {AcceptKey(Key)}\r\n\r\n");

    /// <summary>RFC 6455 §4.2.2: base64 of the SHA-1 of the key and the protocol's GUID.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5350", Justification = "RFC 6455 fixes SHA-1 here; it proves only that the server speaks WebSocket, no secret rests on it")]
    internal static string AcceptKey(string key) =>
        Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));

    /// <summary>Whether an incomplete head can still turn out to be ours, from its first line so far.</summary>
    private static Outcome MayBeOurs(ReadOnlySequence<byte> buffer)
    {
        Span<byte> start = stackalloc byte[64];
        var have = (int)Math.Min(buffer.Length, start.Length);
        buffer.Slice(0, have).CopyTo(start);
        var line = start[..have];
        var method = Math.Min(line.Length, Get.Length);
        if (!line[..method].SequenceEqual(Get.AsSpan(0, method)))
        {
            return Outcome.NotOurs;
        }

        var target = line[method..];
        foreach (var prefix in Prefixes)
        {
            var n = Math.Min(target.Length, prefix.Length);
            if (target[..n].SequenceEqual(prefix.AsSpan(0, n)))
            {
                return Outcome.NeedMore;
            }
        }

        return Outcome.NotOurs;
    }

    private static Handshake? Parse(string head)
    {
        var lines = head.Split("\r\n");
        var request = lines[0].Split(' ');
        if (request is not ["GET", var target, "HTTP/1.1"])
        {
            return null;
        }

        var question = target.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? target : target[..question];
        if (path.Contains('%', StringComparison.Ordinal) || RealtimeEndpoints.SessionIdOf(new PathString(path)) is not { } sessionId)
        {
            return null;
        }

        string? upgrade = null, connection = null, key = null, version = null, origin = null;
        var keys = 0;
        for (var i = 1; i < lines.Length; i++)
        {
            var colon = lines[i].IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                return null;
            }

            var name = lines[i][..colon];
            var value = lines[i][(colon + 1)..].Trim(' ', '\t');
            switch (name.ToLowerInvariant())
            {
                case "upgrade":
                    upgrade = Join(upgrade, value);
                    break;
                case "connection":
                    connection = Join(connection, value);
                    break;
                case "sec-websocket-key":
                    (key, keys) = (value, keys + 1);
                    break;
                case "sec-websocket-version":
                    version = Join(version, value);
                    break;
                case "origin":
                    origin = Join(origin, value);
                    break;
                case "transfer-encoding" or "content-length":
                    return null;
            }
        }

        return HasToken(upgrade, "websocket") && HasToken(connection, "upgrade") && version == "13" && keys == 1 && IsKey(key)
            ? new Handshake(sessionId, path, question < 0 ? "" : target[question..], origin, key!,
                question < 0 ? new Dictionary<string, StringValues>() : QueryHelpers.ParseQuery(target[question..]))
            : null;
    }

    private static string Join(string? first, string value) => first is null ? value : first + "," + value;

    private static bool HasToken(string? header, string token) =>
        header is not null && header.Split(',').Any(t => t.Trim().Equals(token, StringComparison.OrdinalIgnoreCase));

    private static bool IsKey(string? key)
    {
        Span<byte> bytes = stackalloc byte[18];
        return key is { Length: 24 } && Convert.TryFromBase64String(key, bytes, out var written) && written == 16;
    }
}
