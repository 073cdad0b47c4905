using System.Net;
using static CanvasLearning.Tests.Api.ApiCalls;

namespace CanvasLearning.Tests.Api;

/// <summary>POST /{session_id}/retry. Each test scripts its own nodes in the fake.</summary>
public sealed class RetryTests() : ApiTestBase(purpleNodes: 12)
{
    [Fact]
    public async Task A_node_that_fails_once_ends_partial_failure_and_retry_completes_it()
    {
        Agent.FailTimes["n002"] = 1;
        var id = await Client.ConfirmIdAsync(ConfirmBody(Vault.CanvasPath, ("oral-explanation", ["n001", "n002", "n003"])));

        var failed = await Client.WaitForTerminalAsync(id);

        Assert.Equal("partial_failure", Str(failed, "status"));
        Assert.Equal(2, Int(failed, "completed_nodes"));
        Assert.Equal(1, Int(failed, "failed_nodes"));
        var (nodeId, message) = Assert.Single(Errors(failed));
        Assert.Equal("n002", nodeId);
        Assert.Contains("scripted failure for n002", message, StringComparison.Ordinal);
        Assert.DoesNotContain("n002", Results(failed).Select(r => r.NodeId));
        Assert.Equal(1, Agent.Calls["n002"]);

        using var response = await Client.PostRawAsync($"{Base}/{id}/retry", "");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.ReadObjectAsync();
        Assert.Equal(id, Str(accepted, "session_id"));
        Assert.Contains(Str(accepted, "status"), new[] { "pending", "running", "completed" });
        Assert.Equal(3, Int(accepted, "total_nodes"));
        Assert.StartsWith($"ws://127.0.0.1:{Server.BaseAddress.Port}/ws/intelligent-parallel/{id}", Str(accepted, "websocket_url"), StringComparison.Ordinal);
        Assert.EndsWith($"{Base}/{id}", response.Headers.Location?.OriginalString, StringComparison.Ordinal);

        var done = await Client.WaitForTerminalAsync(id);
        Assert.Equal("completed", Str(done, "status"));
        Assert.Equal(3, Int(done, "completed_nodes"));
        Assert.Equal(0, Int(done, "failed_nodes"));
        Assert.Empty(Errors(done));
        var result = Assert.Single(Results(done), r => r.NodeId == "n002");
        Assert.True(result.FileSize > 0);
        Assert.True(File.Exists(Path.Combine(Vault.Root, result.FilePath)));
        Assert.Equal(2, Agent.Calls["n002"]);
        Assert.Equal(1, Agent.Calls["n001"]);
        Assert.Equal(1, Agent.Calls["n003"]);
    }

    [Fact]
    public async Task Retry_of_a_completed_session_is_a_409_nothing_to_retry()
    {
        var id = await Client.ConfirmIdAsync(ConfirmBody(Vault.CanvasPath, ("memory-anchor", ["n004"])));
        await Client.WaitForStatusAsync(id, "completed");

        using var response = await Client.PostRawAsync($"{Base}/{id}/retry", "");

        await response.AssertProblemAsync(HttpStatusCode.Conflict, "nothing_to_retry");
    }

    [Fact]
    public async Task Retry_of_a_running_session_is_a_409_session_not_finished()
    {
        Agent.Hang["n005"] = true;
        ForgetEarlierStarts();
        var id = await Client.ConfirmIdAsync(ConfirmBody(Vault.CanvasPath, ("memory-anchor", ["n005"])));
        await WaitForCallsToStartAsync(1);

        using var response = await Client.PostRawAsync($"{Base}/{id}/retry", "");

        await response.AssertProblemAsync(HttpStatusCode.Conflict, "session_not_finished");
        Assert.Equal("running", Str(await Client.GetSessionAsync(id), "status"));
        using var cancel = await Client.PostRawAsync($"{Base}/cancel/{id}", "");
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
    }

    [Theory]
    [InlineData("ip-20250101-000000-deadbeef")]
    [InlineData("..%2F..")]
    public async Task Retry_of_an_unknown_session_is_a_404(string sessionId)
    {
        using var response = await Client.PostRawAsync($"{Base}/{sessionId}/retry", "");

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "session_not_found");
    }

    [Fact]
    public async Task Retry_right_after_polling_shows_the_session_ended_is_accepted()
    {
        // The client learns the session ended from polling; a retry sent at that moment must not be refused as still running.
        for (var round = 0; round < 10; round++)
        {
            var node = $"n{6 + (round % 7):000}";
            Agent.FailTimes[node] = 1;
            // Nodes come round again after seven rounds: regenerate their explanations.
            var body = ConfirmBody(Vault.CanvasPath, ("clarification-path", [node]));
            body["regenerate"] = true;
            var id = await Client.ConfirmIdAsync(body);
            Assert.Equal("failed", Str(await Client.WaitForTerminalAsync(id), "status"));

            using var response = await Client.PostRawAsync($"{Base}/{id}/retry", "");

            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"round {round}: retry answered {(int)response.StatusCode}: {text}");
            await Client.WaitForStatusAsync(id, "completed");
        }
    }
}
