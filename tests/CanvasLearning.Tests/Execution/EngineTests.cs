using CanvasLearning.Canvas;
using CanvasLearning.Sessions;
using CanvasLearning.Tests.Support;

namespace CanvasLearning.Tests.Execution;

public sealed class EngineTests : IDisposable
{
    private readonly TestVault _vault = new(purpleNodes: 8);

    public void Dispose() => _vault.Dispose();

    [Fact]
    public async Task Global_limit_bounds_agent_calls_across_sessions()
    {
        await using var h = await new EngineHarness(_vault, new Dictionary<string, string?> { ["Engine:MaxConcurrentNodes"] = "3" }).InitializeAsync();
        var gates = _vault.NodeIds.Select(h.Agent.Gate).ToList();

        var first = await h.ConfirmAsync(nodeIds: _vault.NodeIds.Take(4).ToList());
        var second = await h.ConfirmAsync(nodeIds: _vault.NodeIds.Skip(4).ToList());

        // Each session runs up to 3 at once, so 6 calls compete for the 3 server-wide slots: wait
        // until 3 run and the other 3 are queued at the slots (never reached past a broken limit).
        await WaitUntilAsync(() => Task.FromResult(h.Agent.Running == 3 && h.Engine.WaitingNodes == 3));
        Assert.Equal(3, h.Engine.RunningNodes);
        Assert.Equal(3, h.Agent.Calls.Count);

        gates.ForEach(g => g.SetResult());
        Assert.Equal(SessionStatus.Completed, (await h.WaitForEndAsync(first)).Session.Status);
        Assert.Equal(SessionStatus.Completed, (await h.WaitForEndAsync(second)).Session.Status);
        Assert.Equal(3, h.Agent.MaxRunning); // over the whole run, with every node released at once
        Assert.Equal(0, h.Engine.WaitingNodes);
    }

    [Fact]
    public async Task Session_max_concurrent_is_honoured_within_the_global_limit()
    {
        await using var h = await new EngineHarness(_vault).InitializeAsync();
        foreach (var id in _vault.NodeIds)
        {
            h.Agent.Gate(id);
        }

        var session = await h.ConfirmAsync(maxConcurrent: 2);

        // One call is let go at a time, once the test has seen the call before it start. Through the
        // whole run the engine has 10 free server-wide slots and 2 calls held, so a session limit
        // it did not keep would show as a third call running; with the limit, each release lets
        // exactly one more start.
        var released = new HashSet<string>(StringComparer.Ordinal);
        for (var done = 0; done < _vault.NodeIds.Count; done++)
        {
            if (done + 2 <= _vault.NodeIds.Count)
            {
                // Two workers took done + 2 nodes, so the done released calls have returned.
                await WaitUntilAsync(() => Task.FromResult(h.Agent.Calls.Count == done + 2));
                Assert.Equal(2, h.Agent.Running);
                Assert.Equal(0, h.Engine.WaitingNodes);
            }

            var next = h.Agent.Calls.Keys.Order(StringComparer.Ordinal).First(id => !released.Contains(id));
            released.Add(next);
            h.Agent.Gate(next).SetResult();
        }

        var end = await h.WaitForEndAsync(session);
        Assert.Equal(SessionStatus.Completed, end.Session.Status);
        Assert.Equal(2, h.Agent.MaxRunning);
    }

    [Fact]
    public async Task A_node_that_outlives_its_timeout_fails_with_timeout_and_the_others_complete()
    {
        await using var h = await new EngineHarness(_vault, new Dictionary<string, string?>
        {
            ["Engine:NodeTimeoutSeconds"] = "30",
            ["Engine:MaxAttempts"] = "1",
        }).InitializeAsync();
        h.Agent.Hang["n003"] = true;
        var session = await h.ConfirmAsync();
        await h.WaitForStartsAsync(_vault.NodeIds.Count);
        await WaitUntilAsync(async () => (await h.Store.GetAsync(session))!.CompletedNodes == _vault.NodeIds.Count - 1);

        h.Time.Advance(TimeSpan.FromSeconds(31));
        var end = await h.WaitForEndAsync(session);

        Assert.Equal(SessionStatus.PartialFailure, end.Session.Status);
        var failed = Assert.Single(end.Nodes, n => n.Status == NodeStatus.Failed);
        Assert.Equal(("n003", "timeout"), (failed.NodeId, failed.ErrorType));
    }

    [Fact]
    public async Task Transient_failures_are_retried_and_permanent_ones_are_not()
    {
        await using var h = await new EngineHarness(_vault, new Dictionary<string, string?> { ["Engine:MaxAttempts"] = "3" }).InitializeAsync();
        h.Agent.FailTransient = true;
        h.Agent.FailTimes["n001"] = 2;
        var session = await h.ConfirmAsync();
        var end = await h.WaitForEndAsync(session);

        Assert.Equal(SessionStatus.Completed, end.Session.Status);
        Assert.Equal(3, h.Agent.Calls["n001"]);
        Assert.Equal(3, end.Nodes.Single(n => n.NodeId == "n001").Attempts);

        await using var p = await new EngineHarness(_vault, new Dictionary<string, string?> { ["Engine:MaxAttempts"] = "3" }, Path.Combine(_vault.Root, "other-db")).InitializeAsync();
        p.Agent.FailTimes["n001"] = 1;
        var permanent = await p.WaitForEndAsync(await p.ConfirmAsync(regenerate: true));
        Assert.Equal(1, p.Agent.Calls["n001"]);
        Assert.Equal(SessionStatus.PartialFailure, permanent.Session.Status);
    }

    [Fact]
    public async Task Every_node_of_a_session_is_announced_to_the_canvas_writer_and_settled_by_its_end_failed_ones_too()
    {
        // Announced, the writer's pause gathers the next results; all settled, the last write does not wait.
        await using var h = await new EngineHarness(_vault).InitializeAsync();
        h.Agent.FailTimes["n001"] = 1;
        var end = await h.WaitForEndAsync(await h.ConfirmAsync());

        Assert.Equal(SessionStatus.PartialFailure, end.Session.Status);
        Assert.Equal((_vault.NodeIds.Count, _vault.NodeIds.Count), h.WriteBack.Expectations(_vault.CanvasFullPath));
    }

    [Fact]
    public async Task Session_timeout_fails_the_unfinished_nodes_and_ends_the_session()
    {
        await using var h = await new EngineHarness(_vault).InitializeAsync();
        foreach (var id in _vault.NodeIds)
        {
            h.Agent.Hang[id] = true;
        }

        var session = await h.ConfirmAsync(timeout: 60);
        await h.WaitForStartsAsync(_vault.NodeIds.Count);
        h.Time.Advance(TimeSpan.FromSeconds(61));
        var end = await h.WaitForEndAsync(session);

        Assert.Equal(SessionStatus.Failed, end.Session.Status);
        Assert.All(end.Nodes, n => Assert.Equal("timeout", n.ErrorType));
        Assert.Equal(_vault.NodeIds.Count, h.Agent.Cancelled.Count);
    }

    [Fact]
    public async Task Cancel_stops_running_calls_and_keeps_finished_results()
    {
        await using var h = await new EngineHarness(_vault).InitializeAsync();
        foreach (var id in _vault.NodeIds.Skip(2))
        {
            h.Agent.Hang[id] = true;
        }

        var session = await h.ConfirmAsync();
        await h.WaitForStartsAsync(_vault.NodeIds.Count);
        await WaitUntilAsync(async () => (await h.Store.GetAsync(session))!.CompletedNodes == 2);

        var end = await h.Service.CancelAsync(session);

        Assert.Equal(SessionStatus.Cancelled, end.Session.Status);
        Assert.Equal(2, end.CompletedNodes);
        Assert.Equal(_vault.NodeIds.Count - 2, end.Nodes.Count(n => n.Status == NodeStatus.Cancelled));
        Assert.Equal(_vault.NodeIds.Count - 2, h.Agent.Cancelled.Count);
        var events = await h.Store.ReadEventsAsync(session, 0, 1000);
        Assert.Equal(EventTypes.SessionCompleted, events[^1].Type);
        Assert.Contains("\"status\":\"cancelled\"", events[^1].Json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Event_log_is_numbered_without_gaps_and_matches_the_outcome()
    {
        await using var h = await new EngineHarness(_vault).InitializeAsync();
        h.Agent.FailTimes["n002"] = 1;
        var session = await h.ConfirmAsync();
        var end = await h.WaitForEndAsync(session);

        var events = await h.Store.ReadEventsAsync(session, 0, 1000);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Seq));
        Assert.Equal(end.Session.LastSeq, events[^1].Seq);
        Assert.Equal(_vault.NodeIds.Count - 1, events.Count(e => e.Type == EventTypes.TaskCompleted));
        Assert.Single(events, e => e.Type == EventTypes.TaskFailed);
        Assert.Single(events, e => e.Type == EventTypes.GroupCompleted);
        Assert.Equal(EventTypes.SessionCompleted, events[^1].Type);
        Assert.All(events, e => Assert.Contains($"\"session_id\":\"{session}\",\"task_id\":\"{session}\",\"seq\":{e.Seq}", e.Json, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_restarted_engine_resumes_a_session_and_skips_finished_nodes()
    {
        var dataDir = Path.Combine(_vault.Root, "db");
        string session;
        await using (var before = await new EngineHarness(_vault, dataDirectory: dataDir).InitializeAsync())
        {
            foreach (var id in _vault.NodeIds.Skip(3))
            {
                before.Agent.Hang[id] = true;
            }

            session = await before.ConfirmAsync();
            await before.WaitForStartsAsync(_vault.NodeIds.Count);
            await WaitUntilAsync(async () => (await before.Store.GetAsync(session))!.CompletedNodes == 3);
            await before.Engine.StopAsync(); // what a shutdown does: nothing finished, nothing failed
            Assert.Equal(SessionStatus.Running, (await before.Store.GetAsync(session))!.Session.Status);
        }

        await using var after = await new EngineHarness(_vault, dataDirectory: dataDir).InitializeAsync();
        Assert.Equal([session], await after.Store.ListUnfinishedAsync());
        Assert.True(after.Engine.Start(session));
        var end = await after.WaitForEndAsync(session);

        Assert.Equal(SessionStatus.Completed, end.Session.Status);
        Assert.Equal(_vault.NodeIds.Skip(3).Order(), after.Agent.Calls.Keys.Order());
        var events = await after.Store.ReadEventsAsync(session, 0, 1000);
        Assert.All(_vault.NodeIds, id => Assert.Single(events, e => e.Type == EventTypes.TaskCompleted && e.Json.Contains($"\"node_id\":\"{id}\"", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task An_explanations_folder_linked_out_of_the_vault_is_not_written_to()
    {
        var outside = Path.Combine(Path.GetTempPath(), "cl-outside-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(outside);
        try
        {
            Directory.CreateSymbolicLink(Path.Combine(_vault.Root, "study-explanations"), outside);
            await using var h = await new EngineHarness(_vault).InitializeAsync();
            var end = await h.WaitForEndAsync(await h.ConfirmAsync());

            Assert.Equal(SessionStatus.Failed, end.Session.Status);
            Assert.All(end.Nodes, n => Assert.Equal("path_outside_vault", n.ErrorType));
            Assert.Empty(Directory.GetFileSystemEntries(outside));
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Fact]
    public async Task Nodes_finishing_together_share_canvas_writes_and_none_is_recorded_before_its_canvas_node()
    {
        await using var h = await new EngineHarness(_vault).InitializeAsync();
        var entered = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.WriteBack.BeforeBatch = async (_, count) =>
        {
            if (entered.TrySetResult(count))
            {
                await release.Task;
            }
        };

        var session = await h.ConfirmAsync();
        var first = await entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await WaitUntilAsync(() => Task.FromResult(h.WriteBack.QueuedCount(_vault.CanvasFullPath) == _vault.NodeIds.Count - first));

        // Every explanation file is written, every canvas placement waits: nothing is recorded yet.
        var during = (await h.Store.GetAsync(session))!;
        Assert.Equal(0, during.CompletedNodes);
        Assert.DoesNotContain(await h.Store.ReadEventsAsync(session, 0, 1000), e => e.Type == EventTypes.TaskCompleted);
        release.SetResult();
        var end = await h.WaitForEndAsync(session);

        Assert.Equal(SessionStatus.Completed, end.Session.Status);
        // The held write, then one for all that queued behind it (none when the first write gathered them all).
        Assert.Equal(first == _vault.NodeIds.Count ? 1 : 2, h.WriteBack.Rewrites);
        var canvas = await CanvasDocument.LoadAsync(_vault.CanvasFullPath);
        Assert.Equal(_vault.NodeIds.Count, canvas.Nodes.Count(n => n.Type == "file"));
        Assert.Equal(_vault.NodeIds.Count + 1, canvas.Edges.Count);
    }

    [Fact]
    public async Task Starting_a_session_removes_our_stale_temp_files_and_keeps_the_users()
    {
        var explanations = Path.Combine(_vault.Root, "study-explanations");
        Directory.CreateDirectory(explanations);
        string[] ours =
        [
            Path.Combine(_vault.Root, $".study.canvas.{Guid.NewGuid():N}.tmp"),
            Path.Combine(explanations, $".oral-explanation - Concept n001.md.{Guid.NewGuid():N}.tmp"),
        ];
        string[] users =
        [
            Path.Combine(_vault.Root, "draft.tmp"),
            Path.Combine(_vault.Root, ".study.canvas.tmp"),
            Path.Combine(explanations, "my notes.md.tmp"),
            Path.Combine(_vault.Root, "other", $".study.canvas.{Guid.NewGuid():N}.tmp"), // not a folder this session writes to
        ];
        foreach (var file in ours.Concat(users))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await File.WriteAllTextAsync(file, "left over");
        }

        await using var h = await new EngineHarness(_vault).InitializeAsync();
        var end = await h.WaitForEndAsync(await h.ConfirmAsync());

        Assert.Equal(SessionStatus.Completed, end.Session.Status);
        Assert.All(ours, file => Assert.False(File.Exists(file), file));
        Assert.All(users, file => Assert.True(File.Exists(file), file));
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 30 s");
            await Task.Delay(10);
        }
    }
}
