using CanvasLearning.Sessions;
using CanvasLearning.Tests.Support;

namespace CanvasLearning.Tests.Execution;

/// <summary>
/// The confirm <c>timeout</c> when sessions queue for the server-wide limit: one slot, session A
/// holding it with a gated call, session B waiting. Time is the harness's fake clock; every wait is
/// on a condition the engine or the fake agent signals.
/// </summary>
public sealed class SessionTimeoutTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly TestVault _vault = new(purpleNodes: 4);

    public void Dispose() => _vault.Dispose();

    [Fact]
    public async Task A_session_queued_behind_another_does_not_time_out_before_its_first_node_starts()
    {
        await using var h = await OneSlotAsync();
        var holder = h.Agent.Gate("n001");
        var a = await h.ConfirmAsync(nodeIds: ["n001"]);
        await h.Agent.WhenStarted("n001").WaitAsync(Patience);
        var b = await h.ConfirmAsync(timeout: 60, nodeIds: ["n002"]);
        await WaitUntilAsync(() => h.Engine.WaitingNodes == 1, "B's node to wait for the slot A holds");

        // Twice B's timeout passes while A still holds the only slot.
        h.Time.Advance(TimeSpan.FromSeconds(120));
        holder.SetResult();

        var end = await h.WaitForEndAsync(b);
        Assert.Equal(SessionStatus.Completed, end.Session.Status);
        Assert.Equal(NodeStatus.Completed, Assert.Single(end.Nodes).Status);
        Assert.Equal(1, h.Agent.Calls["n002"]);
        Assert.Equal(SessionStatus.Completed, (await h.WaitForEndAsync(a)).Session.Status);
    }

    [Fact]
    public async Task A_session_times_out_when_its_nodes_run_past_the_timeout_counted_from_its_first_start()
    {
        await using var h = await OneSlotAsync();
        var holder = h.Agent.Gate("n001");

        // Never opened: B's node that gets the slot first (either: both start at once) runs until the timeout stops it.
        h.Agent.Gate("n002");
        h.Agent.Gate("n003");
        var a = await h.ConfirmAsync(nodeIds: ["n001"]);
        await h.Agent.WhenStarted("n001").WaitAsync(Patience);
        var b = await h.ConfirmAsync(timeout: 60, nodeIds: ["n002", "n003"]);
        await WaitUntilAsync(() => h.Engine.WaitingNodes == 1, "B's node to wait for the slot A holds");
        h.Time.Advance(TimeSpan.FromSeconds(120));
        holder.SetResult();
        var n002 = h.Agent.WhenStarted("n002");
        var (first, other) = await Task.WhenAny(n002, h.Agent.WhenStarted("n003")).WaitAsync(Patience) == n002 ? ("n002", "n003") : ("n003", "n002");

        // 59 s after B's first start: not yet. The 60th second: B's timeout.
        h.Time.Advance(TimeSpan.FromSeconds(59));
        Assert.DoesNotContain(first, h.Agent.Cancelled);
        Assert.Equal(SessionStatus.Running, (await h.Store.GetAsync(b))!.Session.Status);
        h.Time.Advance(TimeSpan.FromSeconds(1));
        var end = await h.WaitForEndAsync(b);

        Assert.Equal(SessionStatus.Failed, end.Session.Status);
        Assert.All(end.Nodes, n => Assert.Equal((NodeStatus.Failed, "timeout"), (n.Status, n.ErrorType)));
        Assert.Contains(first, h.Agent.Cancelled);
        Assert.False(h.Agent.Calls.ContainsKey(other), $"{other} waited behind {first} and never ran");
        Assert.Equal(SessionStatus.Completed, (await h.WaitForEndAsync(a)).Session.Status);
    }

    [Fact]
    public async Task A_queued_session_can_be_cancelled_before_any_of_its_nodes_start()
    {
        await using var h = await OneSlotAsync();
        var holder = h.Agent.Gate("n001");
        var a = await h.ConfirmAsync(nodeIds: ["n001"]);
        await h.Agent.WhenStarted("n001").WaitAsync(Patience);
        var b = await h.ConfirmAsync(nodeIds: ["n002", "n003"]);
        await WaitUntilAsync(() => h.Engine.WaitingNodes == 1, "B's node to wait for the slot A holds");

        var cancelled = await h.Service.CancelAsync(b);

        Assert.Equal(SessionStatus.Cancelled, cancelled.Session.Status);
        Assert.All(cancelled.Nodes, n => Assert.Equal(NodeStatus.Cancelled, n.Status));
        Assert.Equal(0, h.Engine.WaitingNodes);
        holder.SetResult();
        Assert.Equal(SessionStatus.Completed, (await h.WaitForEndAsync(a)).Session.Status);
        Assert.Equal(["n001"], h.Agent.Calls.Keys);
    }

    private async Task<EngineHarness> OneSlotAsync() =>
        await new EngineHarness(_vault, new Dictionary<string, string?> { ["Engine:MaxConcurrentNodes"] = "1" }).InitializeAsync();

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"waited {Patience.TotalSeconds} s for {what}");
            await Task.Delay(10);
        }
    }
}
