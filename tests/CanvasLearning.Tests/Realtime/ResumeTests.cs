using System.Net.WebSockets;
using System.Text.Json.Nodes;
using CanvasLearning.Tests.Support;
using static CanvasLearning.Tests.Api.ApiCalls;
using static CanvasLearning.Tests.Realtime.Wire;

namespace CanvasLearning.Tests.Realtime;

/// <summary>
/// <c>?last_seq=N</c>: every logged event after N, then live ones, with no gap and no duplicate, even
/// while the session produces events during the replay. Sessions of 60 nodes, 12 at once, the fake
/// agent answering after a few (real) milliseconds.
/// </summary>
public sealed class ResumeTests() : RealtimeTestBase(purpleNodes: 60)
{
    private const int Joiners = 5;

    protected override ScriptedAgentProvider CreateAgent() => new() { Delay = TimeSpan.FromMilliseconds(3) };

    // Canvas writes of nodes finishing together are batched, so events come in bursts of dozens:
    // every client still gets every seq.
    protected override Dictionary<string, string?> Settings() => new()
    {
        ["Engine:MaxConcurrentNodes"] = "12",
    };

    [Fact]
    public async Task Clients_joining_a_busy_session_with_last_seq_0_get_every_event_once_in_order()
    {
        var (log, streams) = await JoinWhileBusyAsync();

        foreach (var (who, frames) in streams)
        {
            AssertLogEvents(frames, log, 0, who);
        }
    }

    [Fact]
    public async Task Clients_joining_a_busy_session_with_last_seq_0_get_seq_1_to_n_exactly()
    {
        var (log, streams) = await JoinWhileBusyAsync();

        foreach (var (who, frames) in streams)
        {
            AssertSeqs(frames, 1, log.Count, who);
        }
    }

    [Fact]
    public async Task A_client_killed_mid_session_resumes_from_the_last_seq_it_saw_without_gap_or_duplicate()
    {
        var id = await StartSessionAsync([.. Vault.NodeIds.Take(30)]);
        var first = await ConnectAsync(Server, id, "?last_seq=0");
        var seen = new List<JsonObject>();
        await ExpectAsync(first, "connected");
        while (seen.Count == 0 || Seq(seen[^1]) < 20)
        {
            var frame = await first.ReceiveAsync(Within);
            Assert.True(frame is not null, "the session ended before the client was killed");
            seen.Add(frame);
        }

        first.Abort();
        await first.DisposeAsync();
        var lastSeen = Seq(seen[^1]);

        await using var second = await ConnectAsync(Server, id, $"?last_seq={lastSeen}");
        var connected = await ExpectAsync(second, "connected");
        Assert.True(Data(connected)["last_seq"]!.GetValue<long>() >= lastSeen);
        var rest = await ReadToCloseAsync(second, WebSocketCloseStatus.NormalClosure);

        var log = await ReadLogAsync(Server, id);
        Assert.All(rest, e => Assert.True(Seq(e) > lastSeen, $"seq {Seq(e)} sent again after last_seq={lastSeen}"));
        AssertLogEvents([.. seen, .. rest], log, 0, "the client, before and after its reconnect");
        Assert.Equal(30, seen.Concat(rest).Count(e => Type(e) == "task_completed"));
    }

    [Fact]
    public async Task A_finished_session_sends_connected_and_the_replay_asked_for_then_closes_1000()
    {
        var id = await StartSessionAsync("n001", "n002", "n003");
        await Server.Client.WaitForTerminalAsync(id);
        var log = await ReadLogAsync(Server, id);
        var n = log.Count;

        // Without last_seq, a watcher of a finished session gets how it ended: its session_completed.
        foreach (var (query, from) in new[] { ("", n - 1), ("?last_seq=0", 0), ($"?last_seq={n - 3}", n - 3), ($"?last_seq={n}", n) })
        {
            await using var ws = await ConnectAsync(Server, id, query);
            var frames = await ReadToCloseAsync(ws, WebSocketCloseStatus.NormalClosure);
            Assert.Equal("connected", Type(frames[0]));
            Assert.Equal(n, Data(frames[0])["last_seq"]!.GetValue<long>());
            Assert.Equal("completed", Data(frames[0])["status"]!.GetValue<string>());
            AssertSeqs(frames.Skip(1), from + 1, n, $"query '{query}'");
            Assert.Equal(log.Skip(from).Select(e => e.ToJsonString()), frames.Skip(1).Select(e => e.ToJsonString()));
        }
    }

    [Fact(Skip = "known limitation: a client that reads nothing until Realtime:CloseTimeoutSeconds after the server's close, with more unread frames than the socket buffers hold, loses them; it reconnects with last_seq. Documented in docs/protocol.md")]
    public async Task A_slow_reader_of_a_finished_session_gets_the_whole_replay_and_the_close_1000()
    {
        var id = await StartSessionAsync([.. Vault.NodeIds]);
        await Server.Client.WaitForTerminalAsync(id);
        var log = await ReadLogAsync(Server, id);

        // A reader that takes its time: it reads nothing until the server has sent everything and let the connection go.
        await using var slow = await StalledClient.ConnectAsync(Server, id, "?last_seq=0");
        await WaitForOpenConnectionsAsync(0);
        var frames = await slow.DrainAsync(Within);

        Assert.True(slow.Failure is null, $"after {frames.Count} of {log.Count + 1} frames: {slow.Failure?.Message}");
        Assert.Equal(WebSocketCloseStatus.NormalClosure, slow.CloseStatus);
        AssertSeqs(frames.Skip(1), 1, log.Count, "the slow reader");
    }

    [Fact]
    public async Task Connections_opened_while_the_session_ends_or_after_it_still_close_1000()
    {
        var id = await StartSessionAsync([.. Vault.NodeIds.Take(12)]);
        var runs = new List<Task<(long After, List<JsonObject> Frames)>>();
        var ended = false;
        var afterEnd = 0;
        while (afterEnd < 5)
        {
            runs.Add(ConnectAndReadAsync(id, replayAll: runs.Count % 2 == 1));
            if (!ended)
            {
                var status = Str(await Server.Client.GetSessionAsync(id), "status");
                ended = Array.IndexOf(TerminalStatuses, status) >= 0;
            }
            else
            {
                afterEnd++;
            }

            Assert.True(runs.Count < 500, "the session did not end");
        }

        var log = await ReadLogAsync(Server, id);
        foreach (var (after, frames) in await Task.WhenAll(runs))
        {
            var events = frames.Skip(1).ToList();
            if (after == log.Count)
            {
                // Connected to the ended session without last_seq: the one event is its session_completed.
                Assert.Equal([log[^1].ToJsonString()], events.Select(e => e.ToJsonString()));
            }
            else
            {
                AssertLogEvents(events, log, after, $"a client from seq {after}");
            }
        }
    }

    /// <summary>Connects (with last_seq=0, or without), reads to the close 1000; returns the seq the stream starts after, and the frames.</summary>
    private async Task<(long After, List<JsonObject> Frames)> ConnectAndReadAsync(string id, bool replayAll)
    {
        await using var ws = await ConnectAsync(Server, id, replayAll ? "?last_seq=0" : "");
        var frames = await ReadToCloseAsync(ws, WebSocketCloseStatus.NormalClosure);
        Assert.Equal("connected", Type(frames[0]));
        return (replayAll ? 0 : Data(frames[0])["last_seq"]!.GetValue<long>(), frames);
    }

    /// <summary>
    /// One client follows a 60-node session from the start; each time its seq passes one of a few
    /// (seeded random) marks, another client joins with last_seq=0 and reads to the end.
    /// </summary>
    private async Task<(List<JsonObject> Log, List<(string Who, List<JsonObject> Frames)> Streams)> JoinWhileBusyAsync()
    {
        var nodes = Vault.NodeIds.ToArray();
        var id = await ConfirmGroupsAsync(Server, Vault.CanvasPath, null, ("oral-explanation", nodes[..30]), ("comparison-table", nodes[30..]));
        var random = new Random(20261125);
        var marks = new Queue<long>(Enumerable.Range(0, Joiners).Select(_ => (long)random.Next(2, 110)).Order());
        var joiners = new List<Task<(long After, List<JsonObject> Frames)>>();

        await using var watcher = await ConnectAsync(Server, id, "?last_seq=0");
        await ExpectAsync(watcher, "connected");
        var watched = new List<JsonObject>();
        while (await watcher.ReceiveAsync(Within) is { } frame)
        {
            watched.Add(frame);
            while (marks.Count > 0 && Seq(frame) >= marks.Peek())
            {
                marks.Dequeue();
                joiners.Add(ConnectAndReadAsync(id, replayAll: true));
            }
        }

        Assert.Equal(WebSocketCloseStatus.NormalClosure, watcher.CloseStatus);
        Assert.Equal(Joiners, joiners.Count);
        var streams = new List<(string, List<JsonObject>)> { ("the watcher", watched) };
        var joined = await Task.WhenAll(joiners);
        streams.AddRange(joined.Select((j, i) => ($"joiner {i}", j.Frames.Skip(1).ToList())));
        var log = await ReadLogAsync(Server, id);
        Assert.Equal(60, log.Count(e => Type(e) == "task_completed"));
        return (log, streams);
    }
}
