using static CanvasLearning.Tests.Api.ApiCalls;

namespace CanvasLearning.Tests.Api;

public sealed class SessionLimitTests() : ApiTestBase(purpleNodes: 12, new Dictionary<string, string?> { ["Engine:MaxConcurrentNodes"] = "12" })
{
    [Fact]
    public async Task A_session_runs_at_most_its_max_concurrent_calls_at_once()
    {
        // The first two calls wait until both run, so the session reaches its limit however slowly
        // the machine starts them (a think time alone did not promise that); the think time keeps
        // calls overlapping all through the run, where a third one would show.
        Agent.HoldFirstCallsUntilRunning(2);
        Agent.Delay = TimeSpan.FromMilliseconds(50);
        var body = ConfirmBody(Vault.CanvasPath, ("oral-explanation", [.. Vault.NodeIds]));
        body["max_concurrent"] = 2;

        var id = await Client.ConfirmIdAsync(body);
        var session = await Client.WaitForTerminalAsync(id);

        Assert.Equal("completed", Str(session, "status"));
        Assert.Equal(12, Int(session, "completed_nodes"));
        Assert.Equal(2, Agent.MaxRunning);
        Assert.Equal(2, Int(session["performance_metrics"]!, "max_concurrent"));
    }
}
