using System.Net.WebSockets;
using static CanvasLearning.Tests.Api.ApiCalls;
using static CanvasLearning.Tests.Realtime.Wire;

namespace CanvasLearning.Tests.Realtime;

/// <summary>The REST polling fallback and the stream agree: same last seq, same counts of completed and failed nodes.</summary>
public sealed class PollingFallbackTests() : RealtimeTestBase(purpleNodes: 12)
{
    [Fact]
    public async Task At_the_end_polling_shows_the_last_seq_and_the_counts_the_socket_saw()
    {
        Agent.FailTimes["n002"] = 1;
        Agent.FailTimes["n007"] = 1;
        var id = await ConfirmGroupsAsync(Server, Vault.CanvasPath, null,
            ("oral-explanation", ["n001", "n002", "n003", "n004", "n005"]), ("memory-anchor", ["n006", "n007", "n008", "n009", "n010"]));
        await using var ws = await ConnectAsync(Server, id, "?last_seq=0");

        var frames = await ReadToCloseAsync(ws, WebSocketCloseStatus.NormalClosure);
        var polled = await Server.Client.GetSessionAsync(id);

        var events = frames.Where(IsLogged).ToList();
        Assert.Equal(Seq(events[^1]), polled["last_seq"]!.GetValue<long>());
        Assert.Equal(events.Count(e => Type(e) == "task_completed"), Int(polled, "completed_nodes"));
        Assert.Equal(events.Count(e => Type(e) == "task_failed"), Int(polled, "failed_nodes"));
        Assert.Equal(8, Int(polled, "completed_nodes"));
        Assert.Equal(2, Int(polled, "failed_nodes"));
        var end = Data(events[^1]);
        Assert.Equal(Str(polled, "status"), end["status"]!.GetValue<string>());
        Assert.Equal(Int(polled, "completed_nodes"), end["success_count"]!.GetValue<int>());
        Assert.Equal(Int(polled, "failed_nodes"), end["failure_count"]!.GetValue<int>());
        Assert.Equal(events.Count(e => Type(e) == "group_completed"), Int(polled, "completed_groups"));

        var seenCompleted = events.Where(e => Type(e) == "task_completed").Select(e => Data(e)["node_id"]!.GetValue<string>()).Order(StringComparer.Ordinal);
        Assert.Equal(Results(polled).Select(r => r.NodeId).Order(StringComparer.Ordinal), seenCompleted);
        var seenFailed = events.Where(e => Type(e) == "task_failed").Select(e => Data(e)["node_id"]!.GetValue<string>()).Order(StringComparer.Ordinal);
        Assert.Equal(Errors(polled).Select(r => r.NodeId).Order(StringComparer.Ordinal), seenFailed);
    }

    [Fact]
    public async Task While_running_a_snapshot_and_polling_agree_on_last_seq_and_counts()
    {
        Agent.FailTimes["n011"] = 1;
        Agent.Hang["n012"] = true;
        var id = await StartSessionAsync("n010", "n011", "n012");
        await Server.Client.WaitForSessionAsync(id, s => Int(s, "completed_nodes") == 1, "1 completed node");
        var polled = await Server.Client.WaitForSessionAsync(id, s => Int(s, "failed_nodes") == 1, "1 failed node");

        await using var ws = await ConnectAsync(Server, id);
        var snapshot = Data(await ExpectAsync(ws, "connected"));

        Assert.Equal(polled["last_seq"]!.GetValue<long>(), snapshot["last_seq"]!.GetValue<long>());
        Assert.Equal(Int(polled, "completed_nodes"), snapshot["completed_nodes"]!.GetValue<int>());
        Assert.Equal(Int(polled, "failed_nodes"), snapshot["failed_nodes"]!.GetValue<int>());
        Assert.Equal(Int(polled, "total_nodes"), snapshot["total_nodes"]!.GetValue<int>());
        Assert.Equal(polled["progress_percent"]!.GetValue<double>(), snapshot["progress_percent"]!.GetValue<double>());
        Assert.Equal(Str(polled, "status"), snapshot["status"]!.GetValue<string>());
        await CancelAsync(id);
    }
}
