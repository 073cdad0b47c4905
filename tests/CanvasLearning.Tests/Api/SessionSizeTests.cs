using System.Net;
using static CanvasLearning.Tests.Api.ApiCalls;

namespace CanvasLearning.Tests.Api;

public sealed class SessionSizeTests() : ApiTestBase(purpleNodes: 6, new Dictionary<string, string?> { ["Engine:MaxNodesPerSession"] = "5" })
{
    [Fact]
    public async Task A_selection_over_the_session_limit_is_told_how_to_proceed()
    {
        using var response = await Client.PostJsonAsync(ConfirmPath, ConfirmBody(Vault.CanvasPath, ("oral-explanation", [.. Vault.NodeIds])));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        AssertNamesField(problem, "groups");
        var message = problem["errors"]!["groups"]![0]!.GetValue<string>();
        Assert.Contains("6 nodes", message, StringComparison.Ordinal);
        Assert.Contains("2 sessions of at most 5", message, StringComparison.Ordinal);
        Assert.Contains("run --max-per-session 5", message, StringComparison.Ordinal);
        Assert.Contains("Engine:MaxNodesPerSession", message, StringComparison.Ordinal);
    }
}
