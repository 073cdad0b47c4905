using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using CanvasLearning.Realtime;
using CanvasLearning.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static CanvasLearning.Tests.Api.ApiCalls;

namespace CanvasLearning.Tests.Realtime;

/// <summary>Helpers for the WebSocket tests: frames read as <see cref="JsonObject"/>, so the wire names are what is asserted.</summary>
internal static class Wire
{
    /// <summary>Longest wait for anything the server should do on its own (a frame, a close, a count).</summary>
    public static readonly TimeSpan Within = TimeSpan.FromSeconds(20);

    public static string Type(JsonObject frame) => frame["type"]?.GetValue<string>() ?? throw new InvalidOperationException($"no type in {frame.ToJsonString()}");

    public static long Seq(JsonObject frame) => frame["seq"]?.GetValue<long>() ?? throw new InvalidOperationException($"no seq in {frame.ToJsonString()}");

    public static JsonObject Data(JsonObject frame) => frame["data"] as JsonObject ?? throw new InvalidOperationException($"no data object in {frame.ToJsonString()}");

    public static bool IsLogged(JsonObject frame) => frame["seq"] is not null;

    public static RealtimeMetrics Metrics(TestServer server) => server.Services.GetRequiredService<RealtimeMetrics>();

    internal static SessionTails Tails(TestServer server) => server.Services.GetRequiredService<SessionTails>();

    /// <summary>Confirms one group <c>g1</c> (oral-explanation) holding <paramref name="nodeIds"/> and returns the session id.</summary>
    public static Task<string> ConfirmAsync(TestServer server, TestVault vault, IEnumerable<string> nodeIds, int? timeout = null) =>
        ConfirmGroupsAsync(server, vault.CanvasPath, timeout, ("oral-explanation", nodeIds.ToArray()));

    public static async Task<string> ConfirmGroupsAsync(TestServer server, string canvasPath, int? timeout, params (string AgentType, string[] NodeIds)[] groups)
    {
        var body = ConfirmBody(canvasPath, groups);
        if (timeout is { } t)
        {
            body["timeout"] = t;
        }

        return await server.Client.ConfirmIdAsync(body);
    }

    public static Task<WsClient> ConnectAsync(TestServer server, string sessionId, string query = "", string? origin = null) =>
        WsClient.ConnectAsync(server, sessionId, query, origin);

    /// <summary>The next frame, which must be of <paramref name="type"/>.</summary>
    public static async Task<JsonObject> ExpectAsync(WsClient ws, string type, TimeSpan? timeout = null)
    {
        var frame = await ws.ReceiveAsync(timeout ?? Within);
        Assert.True(frame is not null, $"expected '{type}', the server closed ({(int?)ws.CloseStatus} {ws.CloseDescription})");
        Assert.True(Type(frame) == type, $"expected '{type}', got {frame.ToJsonString()}");
        return frame;
    }

    /// <summary>Reads every frame until the server closes, and asserts the close code.</summary>
    public static async Task<List<JsonObject>> ReadToCloseAsync(WsClient ws, WebSocketCloseStatus expected, TimeSpan? timeout = null)
    {
        var frames = await ws.ReceiveAllAsync(timeout ?? Within);
        Assert.True(ws.CloseStatus == expected,
            $"expected close {(int)expected}, got {(int?)ws.CloseStatus} '{ws.CloseDescription}' after {frames.Count} frame(s): {string.Join(" ", frames.TakeLast(3).Select(f => f.ToJsonString()))}");
        return frames;
    }

    /// <summary>The server accepts the handshake and closes at once with <paramref name="expected"/>, sending nothing first.</summary>
    public static async Task AssertRefusedAsync(TestServer server, string sessionId, WebSocketCloseStatus expected, string query = "", string? origin = null)
    {
        await using var ws = await ConnectAsync(server, sessionId, query, origin);
        var frames = await ReadToCloseAsync(ws, expected);
        Assert.Empty(frames);
        Assert.False(string.IsNullOrWhiteSpace(ws.CloseDescription), "the close carries no reason");
    }

    /// <summary>Connects to a live session, expects <c>connected</c>, and gets a pong for a ping: the server serves it normally.</summary>
    public static async Task AssertServesAsync(TestServer server, string sessionId, string query = "", string? origin = null)
    {
        await using var ws = await ConnectAsync(server, sessionId, query, origin);
        var connected = await ReceiveSkippingAsync(ws, "connected");
        Assert.Equal(sessionId, connected["session_id"]!.GetValue<string>());
        await ws.SendTextAsync("""{"type":"ping"}""");
        await ReceiveSkippingAsync(ws, "pong");
    }

    /// <summary>The next frame of <paramref name="type"/>, skipping logged events (live progress) and pings on the way.</summary>
    public static async Task<JsonObject> ReceiveSkippingAsync(WsClient ws, string type, TimeSpan? timeout = null)
    {
        while (true)
        {
            var frame = await ws.ReceiveAsync(timeout ?? Within);
            Assert.True(frame is not null, $"expected '{type}', the server closed ({(int?)ws.CloseStatus} {ws.CloseDescription})");
            if (Type(frame) == type)
            {
                return frame;
            }

            Assert.True(IsLogged(frame) || Type(frame) == "ping", $"expected '{type}', got {frame.ToJsonString()}");
        }
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails after <see cref="Within"/>.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? deadline = null)
    {
        var limit = deadline ?? Within;
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < limit, $"no {what} within {limit.TotalSeconds} s");
            await Task.Delay(10);
        }
    }

    /// <summary>Asserts the event's seqs are exactly <paramref name="first"/>..<paramref name="last"/>.</summary>
    public static void AssertSeqs(IEnumerable<JsonObject> events, long first, long last, string who)
    {
        var seqs = events.Select(Seq).ToList();
        var expected = Enumerable.Range(0, (int)(last - first + 1)).Select(i => first + i).ToList();
        Assert.True(expected.SequenceEqual(seqs), $"{who}: expected seq {first}..{last}, got [{Describe(seqs)}]");
    }

    /// <summary>
    /// What every client gets, however slowly it reads: each event of the log after <paramref name="after"/>,
    /// once, in seq order, exactly as logged, up to the session's last event.
    /// </summary>
    public static void AssertLogEvents(IReadOnlyList<JsonObject> got, IReadOnlyList<JsonObject> log, long after, string who)
    {
        var expected = log.Where(e => Seq(e) > after).ToList();
        var seqs = got.Select(Seq).ToList();
        Assert.True(seqs.SequenceEqual(expected.Select(Seq)), $"{who}: got seqs [{Describe(seqs)}], the log after {after} is [{Describe([.. expected.Select(Seq)])}]");
        for (var i = 0; i < got.Count; i++)
        {
            Assert.Equal(expected[i].ToJsonString(), got[i].ToJsonString());
        }
    }

    /// <summary>The whole log of a session that ended: a replay from seq 0, which no live event can disturb.</summary>
    public static async Task<List<JsonObject>> ReadLogAsync(TestServer server, string sessionId)
    {
        await using var ws = await ConnectAsync(server, sessionId, "?last_seq=0");
        var frames = await ReadToCloseAsync(ws, WebSocketCloseStatus.NormalClosure);
        Assert.Equal("connected", Type(frames[0]));
        var log = frames.Skip(1).ToList();
        AssertSeqs(log, 1, log.Count, "the replay of the whole log");
        Assert.Equal("session_completed", Type(log[^1]));
        return log;
    }

    /// <summary>Short description of a seq list: runs as a-b.</summary>
    public static string Describe(IReadOnlyList<long> seqs)
    {
        var parts = new List<string>();
        for (var i = 0; i < seqs.Count;)
        {
            var j = i;
            while (j + 1 < seqs.Count && seqs[j + 1] == seqs[j] + 1)
            {
                j++;
            }

            parts.Add(i == j ? $"{seqs[i]}" : $"{seqs[i]}-{seqs[j]}");
            i = j + 1;
        }

        return string.Join(",", parts);
    }
}
