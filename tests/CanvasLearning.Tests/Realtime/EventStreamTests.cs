using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using CanvasLearning.Tests.Support;
using static CanvasLearning.Tests.Api.ApiCalls;
using static CanvasLearning.Tests.Realtime.Wire;

namespace CanvasLearning.Tests.Realtime;

/// <summary>
/// Every logged event reaches every connection, in seq order, in the story's envelope and with the
/// story's fields. The agent's calls are held on the fake agent clock until the clients are connected.
/// </summary>
public sealed class EventStreamTests() : RealtimeTestBase(purpleNodes: 12)
{
    private readonly AgentGate _gate = new();

    protected override ScriptedAgentProvider CreateAgent() => _gate.Agent;

    [Fact]
    public async Task Each_story_event_carries_the_envelope_and_its_fields()
    {
        _gate.Open();
        Agent.FailTimes["n003"] = 1;
        var id = await ConfirmGroupsAsync(Server, Vault.CanvasPath, null,
            ("oral-explanation", ["n001", "n002", "n003"]), ("memory-anchor", ["n004", "n005"]));

        await using var ws = await ConnectAsync(Server, id, "?last_seq=0");
        var frames = await ReadToCloseAsync(ws, WebSocketCloseStatus.NormalClosure);

        Assert.Equal("connected", Type(frames[0]));
        var log = await ReadLogAsync(Server, id);
        AssertLogEvents(frames.Skip(1).ToList(), log, 0, "the client");

        // Field by field on the whole log, as a replay over the socket sends it.
        var events = log;
        foreach (var e in events)
        {
            Assert.Equal(["data", "seq", "session_id", "task_id", "timestamp", "type"], e.Select(p => p.Key).Order(StringComparer.Ordinal));
            Assert.Equal(id, e["session_id"]!.GetValue<string>());
            Assert.Equal(id, e["task_id"]!.GetValue<string>());
            AssertUtcTimestamp(e);
            Assert.IsType<JsonObject>(e["data"]);
        }

        string[] kinds = ["group_completed", "progress_update", "session_completed", "task_completed", "task_failed"];
        Assert.Equal(kinds, events.Select(Type).Distinct().Order(StringComparer.Ordinal));

        foreach (var progress in events.Where(e => Type(e) == "progress_update").Select(Data))
        {
            Assert.InRange(progress["progress_percent"]!.GetValue<double>(), 0, 100);
            Assert.InRange(progress["completed_nodes"]!.GetValue<int>(), 0, 4);
            Assert.Equal(5, progress["total_nodes"]!.GetValue<int>());
        }

        var lastProgress = Data(events.Last(e => Type(e) == "progress_update"));
        Assert.Equal(100.0, lastProgress["progress_percent"]!.GetValue<double>());
        Assert.Equal(4, lastProgress["completed_nodes"]!.GetValue<int>());
        Assert.Equal(1, lastProgress["failed_nodes"]!.GetValue<int>());

        var completed = events.Where(e => Type(e) == "task_completed").Select(Data).ToList();
        Assert.Equal(["n001", "n002", "n004", "n005"], completed.Select(d => d["node_id"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        foreach (var d in completed)
        {
            var path = d["file_path"]!.GetValue<string>();
            Assert.EndsWith(".md", path, StringComparison.Ordinal);
            var file = new FileInfo(Path.Combine(Vault.Root, path));
            Assert.True(file.Exists, $"task_completed names {path}, which is not in the vault");
            Assert.Equal(file.Length, d["file_size"]!.GetValue<long>());
            Assert.Equal(d["node_id"]!.GetValue<string>() is "n001" or "n002" ? "g1" : "g2", d["group_id"]!.GetValue<string>());
        }

        var failed = Data(Assert.Single(events, e => Type(e) == "task_failed"));
        Assert.Equal("n003", failed["node_id"]!.GetValue<string>());
        Assert.Contains("n003", failed["error_message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("g1", failed["group_id"]!.GetValue<string>());

        var groups = events.Where(e => Type(e) == "group_completed").Select(Data).ToDictionary(d => d["group_id"]!.GetValue<string>());
        Assert.Equal(2, groups.Count);
        Assert.Equal(("oral-explanation", 2, 1), (groups["g1"]["agent_type"]!.GetValue<string>(), groups["g1"]["completed_nodes"]!.GetValue<int>(), groups["g1"]["failed_nodes"]!.GetValue<int>()));
        Assert.Equal(("memory-anchor", 2, 0), (groups["g2"]["agent_type"]!.GetValue<string>(), groups["g2"]["completed_nodes"]!.GetValue<int>(), groups["g2"]["failed_nodes"]!.GetValue<int>()));

        var end = events[^1];
        Assert.Equal("session_completed", Type(end));
        var summary = Data(end);
        Assert.Equal("partial_failure", summary["status"]!.GetValue<string>());
        Assert.True(summary["total_duration"]!.GetValue<double>() >= 0);
        Assert.Equal(4, summary["success_count"]!.GetValue<int>());
        Assert.Equal(1, summary["failure_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task Three_clients_on_one_session_receive_the_same_events_in_the_same_order()
    {
        var (id, from, streams) = await RunWithThreeClientsAsync(["n006", "n007", "n008", "n009", "n010", "n011"]);

        var log = await ReadLogAsync(Server, id);
        for (var i = 0; i < streams.Length; i++)
        {
            AssertLogEvents(streams[i], log, from, $"client {i}");
        }

        var reference = streams[0].Where(e => Type(e) != "progress_update").Select(e => e.ToJsonString()).ToList();
        Assert.Equal(6, streams[0].Count(e => Type(e) == "task_completed"));
        Assert.Equal(2, streams[0].Count(e => Type(e) == "group_completed"));
        foreach (var other in streams.Skip(1))
        {
            Assert.Equal(reference, other.Where(e => Type(e) != "progress_update").Select(e => e.ToJsonString()));
        }
    }

    [Fact]
    public async Task Three_clients_that_keep_up_receive_every_event_including_each_progress_update()
    {
        var (id, from, streams) = await RunWithThreeClientsAsync(["n001", "n002", "n003", "n004", "n005", "n006"]);

        var last = (await Server.Client.GetSessionAsync(id))["last_seq"]!.GetValue<long>();
        for (var i = 0; i < streams.Length; i++)
        {
            AssertSeqs(streams[i], from + 1, last, $"client {i}");
        }

        foreach (var other in streams.Skip(1))
        {
            Assert.Equal(streams[0].Select(e => (Seq(e), Type(e))), other.Select(e => (Seq(e), Type(e))));
            Assert.Equal(streams[0].Select(e => e.ToJsonString()), other.Select(e => e.ToJsonString()));
        }
    }

    /// <summary>Three clients connect while every call is held, then the calls are let through; returns what each saw after <c>connected</c>.</summary>
    private async Task<(string Id, long From, List<JsonObject>[] Streams)> RunWithThreeClientsAsync(string[] nodes)
    {
        await _gate.HoldAsync();
        _gate.ForgetStarts();
        var half = nodes.Length / 2;
        var id = await ConfirmGroupsAsync(Server, Vault.CanvasPath, null, ("oral-explanation", nodes[..half]), ("example-teaching", nodes[half..]));
        await _gate.WaitForStartsAsync(nodes.Length);

        var clients = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => ConnectAsync(Server, id)));
        try
        {
            var snapshots = await Task.WhenAll(clients.Select(ws => ExpectAsync(ws, "connected")));
            var from = Data(snapshots[0])["last_seq"]!.GetValue<long>();
            Assert.All(snapshots, s => Assert.Equal(from, Data(s)["last_seq"]!.GetValue<long>()));

            _gate.Open();
            var streams = await Task.WhenAll(clients.Select(ws => ReadToCloseAsync(ws, WebSocketCloseStatus.NormalClosure)));
            Assert.All(streams, s => Assert.Equal("session_completed", Type(s[^1])));
            return (id, from, streams);
        }
        finally
        {
            foreach (var ws in clients)
            {
                await ws.DisposeAsync();
            }
        }
    }

    protected override async Task CleanUpAsync() => await _gate.DisposeAsync();

    internal static void AssertUtcTimestamp(JsonObject frame)
    {
        var text = frame["timestamp"]!.GetValue<string>();
        Assert.EndsWith("Z", text, StringComparison.Ordinal);
        Assert.True(DateTimeOffset.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _),
            $"timestamp '{text}' is not ISO-8601 UTC");
    }
}
