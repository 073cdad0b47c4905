using System.Net;
using static CanvasLearning.Tests.Api.ApiCalls;

namespace CanvasLearning.Tests.Api;

/// <summary>GET /{session_id} and GET / (the list). The list tests count the sessions that were there before them, so their order does not matter.</summary>
public sealed class SessionQueryTests() : ApiTestBase(purpleNodes: 6)
{
    [Theory]
    [InlineData("ip-20250101-000000-deadbeef")]
    [InlineData("nope")]
    public async Task Get_of_an_unknown_session_is_a_404_session_not_found(string sessionId)
    {
        using var response = await Client.GetPathAsync($"{Base}/{sessionId}");

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "session_not_found");
    }

    [Theory]
    [InlineData("..%2F..")]
    [InlineData("..%2F..%2Fsessions.db")]
    [InlineData("x'%20OR%20'1'='1")]
    [InlineData("%F0%9F%98%80")]
    [InlineData("%25")]
    public async Task Get_of_a_weird_session_id_is_a_404_not_a_500(string sessionId)
    {
        using var response = await Client.GetPathAsync($"{Base}/{sessionId}");

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "session_not_found");
    }

    [Fact]
    public async Task Get_of_an_encoded_dot_dot_id_is_a_404_not_a_500()
    {
        // Kestrel decodes %2e%2e and removes the dot segment: no session route matches any more.
        using var response = await Client.GetPathAsync($"{Base}/%2e%2e");

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "not_found", requireDetail: false);
    }

    [Fact]
    public async Task Get_of_a_very_long_session_id_is_a_404_session_not_found()
    {
        using var response = await Client.GetPathAsync($"{Base}/{new string('a', 2000)}");

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "session_not_found");
    }

    [Fact]
    public async Task List_is_newest_first_and_pages_with_page_and_page_size()
    {
        var before = Int(await ListAsync(""), "total");
        var ids = new List<string>();
        foreach (var node in new[] { "n001", "n002", "n003" })
        {
            ids.Add(await Client.ConfirmIdAsync(ConfirmBody(Vault.CanvasPath, ("oral-explanation", [node]))));
        }

        foreach (var id in ids)
        {
            await Client.WaitForTerminalAsync(id);
        }

        using var all = await Client.GetPathAsync(Base);
        Assert.Equal(HttpStatusCode.OK, all.StatusCode);
        var list = await all.ReadObjectAsync();
        Assert.Equal(before + 3, Int(list, "total"));
        Assert.Equal(1, Int(list, "page"));
        Assert.Equal(20, Int(list, "page_size"));
        var sessions = list["sessions"]!.AsArray();
        Assert.Equal([ids[2], ids[1], ids[0]], sessions.Take(3).Select(s => Str(s!, "session_id")));
        var newest = sessions[0]!;
        Assert.Equal(Vault.CanvasPath, Str(newest, "canvas_path"));
        Assert.Equal("completed", Str(newest, "status"));
        Assert.Equal(1, Int(newest, "total_nodes"));
        Assert.Equal(1, Int(newest, "completed_nodes"));
        Assert.Equal(0, Int(newest, "failed_nodes"));
        Assert.Equal(100, newest["progress_percent"]!.GetValue<double>());
        Assert.NotNull(newest["created_at"]?.GetValue<string>());
        Assert.NotNull(newest["completed_at"]?.GetValue<string>());

        var page1 = await ListAsync("?page=1&page_size=2");
        Assert.Equal(before + 3, Int(page1, "total"));
        Assert.Equal(2, Int(page1, "page_size"));
        Assert.Equal([ids[2], ids[1]], page1["sessions"]!.AsArray().Select(s => Str(s!, "session_id")));

        var page2 = await ListAsync("?page=2&page_size=2");
        Assert.Equal(2, Int(page2, "page"));
        Assert.Equal(before + 3, Int(page2, "total"));
        Assert.Equal(ids[0], Str(page2["sessions"]![0]!, "session_id"));
        Assert.Equal(Math.Min(2, before + 1), page2["sessions"]!.AsArray().Count);

        var beyond = await ListAsync($"?page={((before + 3) / 2) + 2}&page_size=2");
        Assert.Empty(beyond["sessions"]!.AsArray());
        Assert.Equal(before + 3, Int(beyond, "total"));
    }

    [Fact]
    public async Task List_of_a_page_far_beyond_the_end_is_empty()
    {
        var id = await Client.ConfirmIdAsync(ConfirmBody(Vault.CanvasPath, ("oral-explanation", ["n004"])));
        await Client.WaitForTerminalAsync(id);

        var far = await ListAsync("?page=2147483647&page_size=20");

        Assert.Empty(far["sessions"]!.AsArray());
    }

    [Fact]
    public async Task Unknown_routes_and_methods_answer_problem_details()
    {
        using (var unknown = await Client.GetPathAsync("/api/v1/canvas/nothing-here"))
        {
            await unknown.AssertProblemAsync(HttpStatusCode.NotFound, "not_found", requireDetail: false);
        }

        using var wrongMethod = await Client.DeleteAsync(new Uri($"{Base}/confirm", UriKind.Relative));
        await wrongMethod.AssertProblemAsync(HttpStatusCode.MethodNotAllowed, "method_not_allowed", requireDetail: false);
    }

    [Theory]
    [InlineData("?page_size=0", "page_size")]
    [InlineData("?page_size=101", "page_size")]
    [InlineData("?page=0", "page")]
    [InlineData("?page=-3&page_size=10", "page")]
    public async Task List_with_a_page_out_of_range_is_a_400_naming_the_parameter(string query, string field)
    {
        using var response = await Client.GetPathAsync(Base + query);

        AssertNamesField(await response.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request"), field);
    }

    [Theory]
    [InlineData("?page_size=abc")]
    [InlineData("?page=1.5")]
    public async Task List_with_a_page_that_is_not_a_number_is_a_400_problem(string query)
    {
        using var response = await Client.GetPathAsync(Base + query);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request", requireDetail: false);
    }

    [Theory]
    [InlineData("?page_size=abc", "page_size")]
    [InlineData("?page=1.5", "page")]
    public async Task List_with_a_page_that_is_not_a_number_is_a_400_naming_the_parameter(string query, string field)
    {
        using var response = await Client.GetPathAsync(Base + query);

        AssertNamesField(await response.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request"), field);
    }

    private async Task<System.Text.Json.Nodes.JsonObject> ListAsync(string query)
    {
        using var response = await Client.GetPathAsync(Base + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadObjectAsync();
    }
}
