using static CanvasLearning.Tests.Api.ApiCalls;

namespace CanvasLearning.Tests.Api;

public sealed class ServerLimitTests() : ApiTestBase(purpleNodes: 12, new Dictionary<string, string?> { ["Engine:MaxConcurrentNodes"] = "3" })
{
    [Fact]
    public async Task Two_sessions_together_never_run_more_calls_than_the_server_limit()
    {
        // The first three calls wait until all three run, so the limit is reached whatever the
        // machine's load; the think time keeps calls overlapping all through the run, where a fourth
        // would show: never more than three at once is the whole run's invariant.
        Agent.HoldFirstCallsUntilRunning(3);
        Agent.Delay = TimeSpan.FromMilliseconds(100);

        var first = await Client.ConfirmIdAsync(ConfirmBody(Vault.CanvasPath, ("oral-explanation", [.. Vault.NodeIds.Take(6)])));
        var second = await Client.ConfirmIdAsync(ConfirmBody(Vault.CanvasPath, ("memory-anchor", [.. Vault.NodeIds.Skip(6)])));

        Assert.Equal("completed", Str(await Client.WaitForTerminalAsync(first), "status"));
        Assert.Equal("completed", Str(await Client.WaitForTerminalAsync(second), "status"));
        Assert.Equal(12, Agent.Calls.Count);
        Assert.Equal(3, Agent.MaxRunning);
    }
}
