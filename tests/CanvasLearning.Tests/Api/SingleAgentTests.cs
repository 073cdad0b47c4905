using System.Net;
using System.Text.Json.Nodes;
using static CanvasLearning.Tests.Api.ApiCalls;

namespace CanvasLearning.Tests.Api;

public sealed class SingleAgentTests() : ApiTestBase(purpleNodes: 6)
{
    private JsonObject Body(string nodeId, string agentType = "oral-explanation") =>
        new() { ["node_id"] = nodeId, ["agent_type"] = agentType, ["canvas_path"] = Vault.CanvasPath };

    [Fact]
    public async Task Single_agent_explains_one_node_into_a_file_and_a_canvas_node()
    {
        using var response = await Client.PostJsonAsync(SingleAgentPath, Body("n001", "comparison-table"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadObjectAsync();
        Assert.Equal("n001", Str(body, "node_id"));
        Assert.Equal("completed", Str(body, "status"));
        Assert.True(body.ContainsKey("error_message"), "error_message must be present (null)");
        Assert.Null(body["error_message"]);
        var filePath = Str(body, "file_path");
        var full = Path.Combine(Vault.Root, filePath);
        Assert.True(File.Exists(full), $"no file at {filePath}");
        Assert.Contains("explained by the scripted fake (comparison-table)", await File.ReadAllTextAsync(full), StringComparison.Ordinal);
        Assert.Equal(1, Agent.Calls["n001"]);

        var canvas = JsonNode.Parse(await File.ReadAllTextAsync(Vault.CanvasFullPath))!;
        var fileNode = Assert.Single(canvas["nodes"]!.AsArray(), n => n!["type"]?.GetValue<string>() == "file" && n["file"]?.GetValue<string>() == filePath);
        var edge = Assert.Single(canvas["edges"]!.AsArray(), e => e!["toNode"]?.GetValue<string>() == Str(fileNode!, "id"));
        Assert.Equal("n001", Str(edge!, "fromNode"));
        Assert.Equal("comparison-table", Str(edge!, "label"));
    }

    [Fact]
    public async Task Single_agent_twice_on_a_node_rewrites_its_explanation_in_place()
    {
        using var first = await Client.PostJsonAsync(SingleAgentPath, Body("n002"));
        var a = Str(await first.ReadObjectAsync(), "file_path");
        var canvas = await File.ReadAllBytesAsync(Vault.CanvasFullPath);
        var folder = Directory.GetFiles(Path.GetDirectoryName(Path.Combine(Vault.Root, a))!);

        using var second = await Client.PostJsonAsync(SingleAgentPath, Body("n002"));

        Assert.Equal(a, Str(await second.ReadObjectAsync(), "file_path"));
        Assert.True(File.Exists(Path.Combine(Vault.Root, a)));
        Assert.Equal(canvas, await File.ReadAllBytesAsync(Vault.CanvasFullPath));
        Assert.Equal(folder, Directory.GetFiles(Path.GetDirectoryName(Path.Combine(Vault.Root, a))!));
    }

    [Fact]
    public async Task Single_agent_reports_an_agent_failure_in_status_and_error_message()
    {
        Agent.FailTimes["n003"] = 1;

        using var response = await Client.PostJsonAsync(SingleAgentPath, Body("n003"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadObjectAsync();
        Assert.Equal("n003", Str(body, "node_id"));
        Assert.Equal("failed", Str(body, "status"));
        Assert.Null(body["file_path"]);
        Assert.Contains("scripted failure for n003", Str(body, "error_message"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("n404")]
    [InlineData("e0")]
    public async Task Single_agent_on_a_node_not_on_the_canvas_is_a_404_node_not_found(string nodeId)
    {
        using var response = await Client.PostJsonAsync(SingleAgentPath, Body(nodeId));

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "node_not_found");
    }

    [Theory]
    [InlineData("not-an-agent")]
    [InlineData("")]
    [InlineData("ORAL-EXPLANATION")]
    public async Task Single_agent_with_an_unknown_agent_type_is_a_400_naming_the_field(string agentType)
    {
        using var response = await Client.PostJsonAsync(SingleAgentPath, Body("n001", agentType));

        AssertNamesField(await response.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request"), "agent_type");
    }

    [Fact]
    public async Task Single_agent_without_node_id_or_canvas_path_is_a_400_naming_both()
    {
        using var response = await Client.PostJsonAsync(SingleAgentPath, new JsonObject { ["agent_type"] = "oral-explanation" });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        AssertNamesField(problem, "node_id");
        AssertNamesField(problem, "canvas_path");
    }

    [Fact]
    public async Task Single_agent_on_a_missing_canvas_is_a_404_canvas_not_found()
    {
        var body = Body("n001");
        body["canvas_path"] = "missing.canvas";
        using var response = await Client.PostJsonAsync(SingleAgentPath, body);

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "canvas_not_found");
    }

    [Fact]
    public async Task Single_agent_with_a_canvas_path_out_of_the_vault_is_a_400()
    {
        var body = Body("n001");
        body["canvas_path"] = "../study.canvas";
        using var response = await Client.PostJsonAsync(SingleAgentPath, body);

        AssertNamesField(await response.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request"), "canvas_path");
    }

    [Fact]
    public async Task Single_agent_with_malformed_json_is_a_400_and_without_json_content_type_a_415()
    {
        using (var malformed = await Client.PostRawAsync(SingleAgentPath, "{\"node_id\": "))
        {
            await malformed.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        }

        using var plain = await Client.PostRawAsync(SingleAgentPath, Body("n001").ToJsonString(), "text/plain");
        await plain.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, "invalid_request");
    }
}
