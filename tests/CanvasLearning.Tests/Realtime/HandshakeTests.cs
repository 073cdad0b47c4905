using System.Buffers;
using System.Text;
using CanvasLearning.Realtime;

namespace CanvasLearning.Tests.Realtime;

/// <summary>
/// What the socket listener takes off a connection: only a whole, valid WebSocket handshake for a
/// session's path. Anything else is left, byte for byte, to the web server.
/// </summary>
public sealed class HandshakeTests
{
    private const string Key = "dGhlIHNhbXBsZSBub25jZQ==";

    private static string Head(string target = "/ws/intelligent-parallel/ip-1?last_seq=4&access_token=k", string? extra = null, string version = "13",
        string connection = "Upgrade", string upgrade = "websocket", string method = "GET", string protocol = "HTTP/1.1", string key = Key) =>
        $"{method} {target} {protocol}\r\nHost: 127.0.0.1\r\nUpgrade: {upgrade}\r\nConnection: {connection}\r\nSec-WebSocket-Key: {key}\r\n" +
        $"Sec-WebSocket-Version: {version}\r\nOrigin: app://obsidian.md\r\n{extra}\r\n";

    private static Handshake.Outcome Read(string text, out Handshake? handshake, out long headLength)
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(text));
        var outcome = Handshake.TryRead(buffer, out handshake, out var end);
        headLength = buffer.Slice(0, end).Length;
        return outcome;
    }

    [Fact]
    public void A_valid_handshake_is_ours_with_its_session_query_and_origin_and_ends_where_its_head_does()
    {
        var head = Head();

        var outcome = Read(head + "\x81\x85rest", out var handshake, out var length);

        Assert.Equal(Handshake.Outcome.Ours, outcome);
        Assert.Equal(head.Length, length);
        Assert.Equal("ip-1", handshake!.SessionId);
        Assert.Equal("/ws/intelligent-parallel/ip-1", handshake.Path);
        Assert.Equal("?last_seq=4&access_token=k", handshake.QueryString);
        Assert.Equal("app://obsidian.md", handshake.Origin);
        Assert.Equal("4", handshake.Query["last_seq"].ToString());
        Assert.Equal("k", handshake.Query["access_token"].ToString());
    }

    [Theory]
    [InlineData("/api/v1/ws/intelligent-parallel/ip-2", "ip-2")]
    [InlineData("/ws/intelligent-parallel/ip-3/", "ip-3")]
    public void Both_socket_paths_are_ours(string target, string session)
    {
        Assert.Equal(Handshake.Outcome.Ours, Read(Head(target), out var handshake, out _));
        Assert.Equal(session, handshake!.SessionId);
        Assert.Empty(handshake.Query);
    }

    [Fact]
    public void Header_names_and_tokens_are_matched_without_case_and_connection_may_list_several()
    {
        var head = Head(connection: "keep-alive, UPGRADE", upgrade: "WebSocket").Replace("Sec-WebSocket-Key", "sec-websocket-key", StringComparison.Ordinal);

        Assert.Equal(Handshake.Outcome.Ours, Read(head, out _, out _));
    }

    [Fact]
    public void Every_part_of_a_handshake_still_on_its_way_asks_for_more()
    {
        var head = Head();
        for (var n = 0; n < head.Length; n++)
        {
            Assert.True(Read(head[..n], out _, out _) == Handshake.Outcome.NeedMore, $"after {n} bytes");
        }
    }

    [Theory]
    [InlineData("POST /ws/intelligent-parallel/ip-1 HTTP/1.1\r\n")]
    [InlineData("GET /api/v1/sessions HTTP/1.1\r\n")]
    [InlineData("GET /ws/other HTTP/1.1\r\n")]
    [InlineData("\x16\x03\x01\x02\x00\x01\x00\x01")]
    [InlineData("PRI * HTTP/2.0\r\n")]
    public void A_request_that_is_not_for_a_socket_is_known_not_ours_from_its_first_line(string start) =>
        Assert.Equal(Handshake.Outcome.NotOurs, Read(start, out _, out _));

    public static TheoryData<string> NotHandshakes => new()
    {
        Head(method: "HEAD"),
        Head(protocol: "HTTP/1.0"),
        Head(version: "8"),
        Head(upgrade: "h2c"),
        Head(connection: "keep-alive"),
        Head(key: "c2hvcnQ="),
        Head(key: "not base64 at all, 24 ch"),
        Head(extra: $"Sec-WebSocket-Key: {Key}\r\n"),
        Head(extra: "Content-Length: 5\r\n"),
        Head(extra: "Transfer-Encoding: chunked\r\n"),
        Head(extra: "a line with no colon\r\n"),
        Head("/ws/intelligent-parallel/ip-1/events"),
        Head("/ws/intelligent-parallel/%69p-1"),
        Head("/ws/intelligent-parallel/"),
        Head(extra: $"X-Big: {new string('x', Handshake.MaxHeadBytes)}\r\n"),
        Head().Replace("Upgrade: websocket\r\n", "", StringComparison.Ordinal),
        Head().Replace($"Sec-WebSocket-Key: {Key}\r\n", "", StringComparison.Ordinal),
    };

    [Theory]
    [MemberData(nameof(NotHandshakes))]
    public void A_head_that_is_not_a_valid_handshake_for_a_session_is_not_ours(string head) =>
        Assert.Equal(Handshake.Outcome.NotOurs, Read(head, out _, out _));

    [Fact]
    public void A_head_that_never_ends_is_not_ours_once_it_is_longer_than_any_we_read() =>
        Assert.Equal(Handshake.Outcome.NotOurs, Read("GET /ws/intelligent-parallel/ip-1 HTTP/1.1\r\nX: " + new string('x', Handshake.MaxHeadBytes), out _, out _));

    [Fact]
    public void The_answer_carries_the_accept_key_of_rfc_6455s_example()
    {
        Assert.Equal("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", Handshake.AcceptKey(Key));
        Read(Head(), out var handshake, out _);
        Assert.Equal("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n",
            Encoding.ASCII.GetString(handshake!.Response()));
    }
}
