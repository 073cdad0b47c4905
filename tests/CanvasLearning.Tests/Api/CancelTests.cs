using System.Net;
using static CanvasLearning.Tests.Api.ApiCalls;

namespace CanvasLearning.Tests.Api;

/// <summary>POST /cancel/{session_id}. Each test hangs its own nodes, so the tests do not meet in the fake.</summary>
public sealed class CancelTests() : ApiTestBase(purpleNodes: 12)
{
    [Fact]
    public async Task Cancel_of_a_running_session_stops_its_calls_and_keeps_the_finished_results()
    {
        Agent.Hang["n001"] = true;
        Agent.Hang["n002"] = true;
        ForgetEarlierStarts();
        var id = await Client.ConfirmIdAsync(ConfirmBody(Vault.CanvasPath, ("oral-explanation", ["n001", "n002", "n003", "n004"])));
        await WaitForCallsToStartAsync(4);
        await Client.WaitForSessionAsync(id, s => Int(s, "completed_nodes") == 2, "2 completed nodes");

        using var response = await Client.PostRawAsync($"{Base}/cancel/{id}", "");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadObjectAsync();
        Assert.True(body["success"]!.GetValue<bool>());
        Assert.False(string.IsNullOrWhiteSpace(Str(body, "message")));
        Assert.Equal(2, Int(body, "completed_count"));
        Assert.Contains("n001", Agent.Cancelled);
        Assert.Contains("n002", Agent.Cancelled);
        Assert.DoesNotContain("n003", Agent.Cancelled);

        var session = await Client.GetSessionAsync(id);
        Assert.Equal("cancelled", Str(session, "status"));
        Assert.Equal(2, Int(session, "completed_nodes"));
        Assert.Equal(["n003", "n004"], Results(session).Select(r => r.NodeId).Order(StringComparer.Ordinal));
        Assert.NotNull(session["completed_at"]?.GetValue<string>());
    }

    [Fact]
    public async Task A_cancelled_session_shows_the_same_progress_in_the_list_and_in_polling()
    {
        Agent.Hang["n010"] = true;
        ForgetEarlierStarts();
        var id = await Client.ConfirmIdAsync(ConfirmBody(Vault.CanvasPath, ("oral-explanation", ["n010", "n011"])));
        await WaitForCallsToStartAsync(2);
        await Client.WaitForSessionAsync(id, s => Int(s, "completed_nodes") == 1, "n011 completed");
        using (var cancel = await Client.PostRawAsync($"{Base}/cancel/{id}", ""))
        {
            Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        }

        var session = await Client.GetSessionAsync(id);
        using var list = await Client.GetPathAsync($"{Base}?page_size=100");
        var item = Assert.Single((await list.ReadObjectAsync())["sessions"]!.AsArray(), s => Str(s!, "session_id") == id)!;

        Assert.Equal("cancelled", Str(item, "status"));
        Assert.Equal(session["progress_percent"]!.GetValue<double>(), item["progress_percent"]!.GetValue<double>());
    }

    [Fact]
    public async Task Cancel_of_a_session_that_already_ended_is_a_409_session_already_completed()
    {
        Agent.Hang["n005"] = true;
        ForgetEarlierStarts();
        var id = await Client.ConfirmIdAsync(ConfirmBody(Vault.CanvasPath, ("memory-anchor", ["n005"])));
        await WaitForCallsToStartAsync(1);
        using (var first = await Client.PostRawAsync($"{Base}/cancel/{id}", ""))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using var again = await Client.PostRawAsync($"{Base}/cancel/{id}", "");

        await again.AssertProblemAsync(HttpStatusCode.Conflict, "session_already_completed");
        Assert.Equal("cancelled", Str(await Client.GetSessionAsync(id), "status"));
    }

    [Fact]
    public async Task Cancel_of_a_completed_session_is_a_409_session_already_completed()
    {
        var id = await Client.ConfirmIdAsync(ConfirmBody(Vault.CanvasPath, ("memory-anchor", ["n006"])));
        await Client.WaitForStatusAsync(id, "completed");

        using var response = await Client.PostRawAsync($"{Base}/cancel/{id}", "");

        await response.AssertProblemAsync(HttpStatusCode.Conflict, "session_already_completed");
        Assert.Equal("completed", Str(await Client.GetSessionAsync(id), "status"));
    }

    [Theory]
    [InlineData("ip-20250101-000000-deadbeef")]
    [InlineData("..%2F..")]
    public async Task Cancel_of_an_unknown_session_is_a_404(string sessionId)
    {
        using var response = await Client.PostRawAsync($"{Base}/cancel/{sessionId}", "");

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "session_not_found");
    }

    [Fact]
    public async Task A_cancelled_session_can_be_retried_and_then_completes()
    {
        Agent.Hang["n007"] = true;
        Agent.Hang["n008"] = true;
        ForgetEarlierStarts();
        var id = await Client.ConfirmIdAsync(ConfirmBody(Vault.CanvasPath, ("example-teaching", ["n007", "n008", "n009"])));
        await WaitForCallsToStartAsync(3);
        await Client.WaitForSessionAsync(id, s => Int(s, "completed_nodes") == 1, "n009 completed");
        using (var cancel = await Client.PostRawAsync($"{Base}/cancel/{id}", ""))
        {
            Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        }

        Agent.Hang.TryRemove("n007", out _);
        Agent.Hang.TryRemove("n008", out _);
        using var retry = await Client.PostRawAsync($"{Base}/{id}/retry", "");

        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        var session = await Client.WaitForStatusAsync(id, "completed");
        Assert.Equal(["n007", "n008", "n009"], Results(session).Select(r => r.NodeId).Order(StringComparer.Ordinal));
        Assert.Equal(2, Agent.Calls["n007"]);
        Assert.Equal(1, Agent.Calls["n009"]);
    }
}
