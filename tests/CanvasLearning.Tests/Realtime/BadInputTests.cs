using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static CanvasLearning.Tests.Realtime.Wire;

namespace CanvasLearning.Tests.Realtime;

/// <summary>
/// Bad client input gets an <c>error</c> event or a documented close code, and the server goes on
/// serving others. The server's clock is a <see cref="FakeTimeProvider"/> that never moves, so the
/// one-second rate window is the same second for the whole flood.
/// </summary>
public sealed class BadInputTests() : RealtimeTestBase(purpleNodes: 12)
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    protected override Dictionary<string, string?> Settings() => new() { ["Engine:MaxConcurrentNodes"] = "64" };

    protected override void Configure(IServiceCollection services) => services.AddSingleton<TimeProvider>(_clock);

    [Theory]
    [InlineData("{not json", "invalid_message")]
    [InlineData("", "invalid_message")]
    [InlineData("[1,2]", "invalid_message")]
    [InlineData("""{"type":42}""", "invalid_message")]
    [InlineData("""{"kind":"ping"}""", "invalid_message")]
    [InlineData("""{"type":"subscribe","session_id":"x"}""", "unknown_message_type")]
    [InlineData("""{"type":"PING"}""", "unknown_message_type")]
    public async Task A_bad_text_message_gets_an_error_event_and_the_connection_goes_on(string message, string errorType)
    {
        var id = await StartHungSessionAsync("n001");
        await using var ws = await ConnectAsync(Server, id);
        await ExpectAsync(ws, "connected");

        await ws.SendTextAsync(message);

        var error = await ExpectAsync(ws, "error");
        AssertRecoverableError(error, id, errorType);
        await ws.SendTextAsync("""{"type":"ping"}""");
        await ExpectAsync(ws, "pong");
        await AssertStillServesAsync();
        await CancelAsync(id);
    }

    [Theory]
    [InlineData("""{"type":"ping"}""")]
    [InlineData("ping")]
    public async Task A_ping_as_json_or_as_bare_text_gets_a_pong(string message)
    {
        var id = await StartHungSessionAsync("n003");
        await using var ws = await ConnectAsync(Server, id);
        await ExpectAsync(ws, "connected");

        await ws.SendTextAsync(message);

        var pong = await ws.ReceiveAsync(Within);
        Assert.Equal("pong", Type(pong!));
        await CancelAsync(id);
    }

    [Fact]
    public async Task A_binary_frame_gets_an_unsupported_message_error_and_the_connection_goes_on()
    {
        var id = await StartHungSessionAsync("n002");
        await using var ws = await ConnectAsync(Server, id);
        await ExpectAsync(ws, "connected");

        await ws.SendBinaryAsync(Encoding.UTF8.GetBytes("""{"type":"ping"}"""));

        AssertRecoverableError(await ExpectAsync(ws, "error"), id, "unsupported_message");
        await ws.SendTextAsync("""{"type":"ping"}""");
        await ExpectAsync(ws, "pong");
        await AssertStillServesAsync();
        await CancelAsync(id);
    }

    [Fact]
    public async Task A_message_of_exactly_4_KiB_is_read()
    {
        var id = await StartHungSessionAsync("n003");
        await using var ws = await ConnectAsync(Server, id);
        await ExpectAsync(ws, "connected");

        await ws.SendTextAsync(Padded(4096));

        await ExpectAsync(ws, "pong");
        await CancelAsync(id);
    }

    [Fact]
    public async Task A_message_over_4_KiB_ends_the_connection_and_the_server_goes_on()
    {
        var id = await StartHungSessionAsync("n003");
        var ws = await ConnectAsync(Server, id);
        await ExpectAsync(ws, "connected");

        await ws.SendTextAsync(Padded(4097));

        // Close 1009 is the contract; a reset is what the server sometimes does instead (see the skipped test below).
        try
        {
            Assert.Empty(await ws.ReceiveAllAsync(Within));
            Assert.Equal(WebSocketCloseStatus.MessageTooBig, ws.CloseStatus);
        }
        catch (WebSocketException)
        {
        }

        await ws.DisposeAsync();
        await WaitForOpenConnectionsAsync(0);
        await AssertStillServesAsync();
        await CancelAsync(id);
    }

    [Fact]
    public async Task A_message_over_4_KiB_is_closed_with_1009()
    {
        var id = await StartHungSessionAsync("n003");
        for (var i = 0; i < 10; i++)
        {
            await using var ws = await ConnectAsync(Server, id);
            await ExpectAsync(ws, "connected");

            await ws.SendTextAsync(Padded(4097 + (i * 1000)));

            Assert.Empty(await ReadToCloseAsync(ws, WebSocketCloseStatus.MessageTooBig));
        }

        await CancelAsync(id);
    }

    [Fact]
    public async Task A_flood_of_pings_gets_one_rate_limited_error_then_close_4029()
    {
        var id = await StartHungSessionAsync("n004");
        await using var ws = await ConnectAsync(Server, id);
        await ExpectAsync(ws, "connected");

        for (var i = 0; i < 300; i++)
        {
            await ws.SendTextAsync("""{"type":"ping"}""");
        }

        var frames = await ReadToCloseAsync(ws, (WebSocketCloseStatus)4029);
        var pongs = frames.TakeWhile(f => Type(f) == "pong").Count();
        Assert.Equal(20, pongs);
        var error = frames[pongs];
        AssertRecoverableError(error, id, "rate_limited");
        Assert.True(Data(error)["retry_after"]!.GetValue<int>() >= 1);
        Assert.Equal(pongs + 1, frames.Count);
        await AssertStillServesAsync();
        await CancelAsync(id);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("")]
    [InlineData("%2B3")]
    [InlineData("99999999999999999999999")]
    public async Task A_last_seq_that_is_not_a_whole_number_closes_with_4400(string lastSeq)
    {
        var id = await StartHungSessionAsync("n005");

        await AssertRefusedAsync(Server, id, (WebSocketCloseStatus)4400, $"?last_seq={lastSeq}");

        await AssertStillServesAsync();
        await CancelAsync(id);
    }

    [Fact]
    public async Task A_last_seq_beyond_the_log_gets_invalid_last_seq_then_the_stream_goes_on()
    {
        var id = await StartHungSessionAsync("n006", "n007");
        await using var ws = await ConnectAsync(Server, id, "?last_seq=1000");
        var logEnd = Data(await ExpectAsync(ws, "connected"))["last_seq"]!.GetValue<long>();

        var error = await ExpectAsync(ws, "error");
        AssertRecoverableError(error, id, "invalid_last_seq");

        await CancelAsync(id);
        var frames = await ReadToCloseAsync(ws, WebSocketCloseStatus.NormalClosure);
        var end = Assert.Single(frames);
        Assert.Equal("session_completed", Type(end));
        Assert.Equal(logEnd + 1, Seq(end));
        await AssertStillServesAsync();
    }

    private static void AssertRecoverableError(System.Text.Json.Nodes.JsonObject error, string sessionId, string errorType)
    {
        ConnectTests.AssertControlEnvelope(error, sessionId);
        var data = Data(error);
        Assert.Equal(errorType, data["error_type"]!.GetValue<string>());
        Assert.True(data["recoverable"]!.GetValue<bool>());
        Assert.False(string.IsNullOrWhiteSpace(data["message"]!.GetValue<string>()));
    }

    /// <summary>A ping of exactly <paramref name="bytes"/> bytes of UTF-8.</summary>
    private static string Padded(int bytes)
    {
        var head = """{"type":"ping","pad":" """.TrimEnd();
        var message = head + new string('x', bytes - head.Length - 2) + "\"}";
        Assert.Equal(bytes, Encoding.UTF8.GetByteCount(message));
        return message;
    }
}
