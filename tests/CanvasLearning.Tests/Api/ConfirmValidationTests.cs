using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using static CanvasLearning.Tests.Api.ApiCalls;

namespace CanvasLearning.Tests.Api;

public sealed class ConfirmValidationTests() : ApiTestBase(purpleNodes: 6)
{
    private JsonObject ValidBody() => ConfirmBody(Vault.CanvasPath, ("oral-explanation", ["n001", "n002"]));

    private async Task<JsonObject> ConfirmRefusedAsync(JsonNode body, HttpStatusCode status, string error)
    {
        using var response = await Client.PostJsonAsync(ConfirmPath, body);
        return await response.AssertProblemAsync(status, error);
    }

    [Fact]
    public async Task Confirm_without_canvas_path_is_a_400_naming_the_field()
    {
        var body = ValidBody();
        body.Remove("canvas_path");

        var problem = await ConfirmRefusedAsync(body, HttpStatusCode.BadRequest, "invalid_request");

        AssertNamesField(problem, "canvas_path");
    }

    [Fact]
    public async Task Confirm_with_a_blank_canvas_path_is_a_400_naming_the_field()
    {
        var body = ValidBody();
        body["canvas_path"] = "   ";

        AssertNamesField(await ConfirmRefusedAsync(body, HttpStatusCode.BadRequest, "invalid_request"), "canvas_path");
    }

    [Theory]
    [InlineData("../study.canvas")]
    [InlineData("sub/../../study.canvas")]
    [InlineData("..\\study.canvas")]
    [InlineData("/etc/study.canvas")]
    [InlineData("C:/vault/study.canvas")]
    [InlineData("study.md")]
    [InlineData("stu\u0000dy.canvas")]
    [InlineData("a<b.canvas")]
    public async Task Confirm_with_a_canvas_path_outside_the_vault_or_not_a_canvas_is_a_400_invalid_request(string canvasPath)
    {
        var body = ValidBody();
        body["canvas_path"] = canvasPath;

        var problem = await ConfirmRefusedAsync(body, HttpStatusCode.BadRequest, "invalid_request");

        AssertNamesField(problem, "canvas_path");
    }

    [Fact]
    public async Task Confirm_with_the_absolute_path_of_a_canvas_inside_the_vault_is_still_a_400()
    {
        var body = ValidBody();
        body["canvas_path"] = Vault.CanvasFullPath;

        var problem = await ConfirmRefusedAsync(body, HttpStatusCode.BadRequest, "invalid_request");

        AssertNamesField(problem, "canvas_path");
        Assert.DoesNotContain(Vault.Root, problem.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Confirm_through_a_link_leading_out_of_the_vault_is_a_400()
    {
        var outside = Path.Combine(Path.GetTempPath(), "cl-outside-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(outside);
        try
        {
            await File.WriteAllTextAsync(Path.Combine(outside, "secret.canvas"), await File.ReadAllTextAsync(Vault.CanvasFullPath));
            Directory.CreateSymbolicLink(Path.Combine(Vault.Root, "linked"), outside);
            var body = ValidBody();
            body["canvas_path"] = "linked/secret.canvas";

            var problem = await ConfirmRefusedAsync(body, HttpStatusCode.BadRequest, "invalid_request");

            AssertNamesField(problem, "canvas_path");
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Theory]
    [InlineData("missing.canvas")]
    [InlineData("sub/folder/missing.canvas")]
    public async Task Confirm_on_a_canvas_that_does_not_exist_is_a_404_canvas_not_found(string canvasPath)
    {
        var body = ValidBody();
        body["canvas_path"] = canvasPath;

        await ConfirmRefusedAsync(body, HttpStatusCode.NotFound, "canvas_not_found");
    }

    [Theory]
    [InlineData("max_concurrent", "0")]
    [InlineData("max_concurrent", "51")]
    [InlineData("max_concurrent", "-1")]
    [InlineData("timeout", "59")]
    [InlineData("timeout", "3601")]
    [InlineData("timeout", "0")]
    public async Task Confirm_with_a_limit_out_of_range_is_a_400_naming_the_field(string field, string value)
    {
        var body = ValidBody();
        body[field] = JsonNode.Parse(value);

        var problem = await ConfirmRefusedAsync(body, HttpStatusCode.BadRequest, "invalid_request");

        AssertNamesField(problem, field);
    }

    [Theory]
    [InlineData(1, 60)]
    [InlineData(50, 3600)]
    public async Task Confirm_accepts_the_limits_at_their_bounds(int maxConcurrent, int timeout)
    {
        var body = ValidBody();
        body["max_concurrent"] = maxConcurrent;
        body["timeout"] = timeout;

        var id = await Client.ConfirmIdAsync(body);

        var session = await Client.WaitForStatusAsync(id, "completed");
        Assert.Equal(maxConcurrent, Int(session["performance_metrics"]!, "max_concurrent"));
    }

    [Fact]
    public async Task Confirm_with_both_limits_wrong_names_both_fields_at_once()
    {
        var body = ValidBody();
        body["max_concurrent"] = 0;
        body["timeout"] = 59;

        var problem = await ConfirmRefusedAsync(body, HttpStatusCode.BadRequest, "invalid_request");

        AssertNamesField(problem, "max_concurrent");
        AssertNamesField(problem, "timeout");
    }

    [Fact]
    public async Task Confirm_with_an_unknown_agent_type_is_a_400_naming_the_group_field()
    {
        var body = ConfirmBody(Vault.CanvasPath, ("oral-explanation", ["n001"]), ("magic-agent", ["n002"]));
        body["groups"]![0]!["agent_type"] = "not-an-agent";

        var problem = await ConfirmRefusedAsync(body, HttpStatusCode.BadRequest, "invalid_request");

        AssertNamesField(problem, "groups[0].agent_type");
        AssertNamesField(problem, "groups[1].agent_type");
    }

    [Fact]
    public async Task Confirm_with_a_missing_agent_type_is_a_400_naming_the_group_field()
    {
        var body = ValidBody();
        body["groups"]![0]!.AsObject().Remove("agent_type");

        AssertNamesField(await ConfirmRefusedAsync(body, HttpStatusCode.BadRequest, "invalid_request"), "groups[0].agent_type");
    }

    [Fact]
    public async Task Confirm_with_a_node_id_not_on_the_canvas_is_a_400_naming_its_position()
    {
        var body = ConfirmBody(Vault.CanvasPath, ("oral-explanation", ["n001", "n404", "n002"]));

        var problem = await ConfirmRefusedAsync(body, HttpStatusCode.BadRequest, "invalid_request");

        AssertNamesField(problem, "groups[0].node_ids[1]");
        Assert.Contains("n404", problem["errors"]!["groups[0].node_ids[1]"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Confirm_with_a_node_that_is_not_a_text_node_is_a_400_naming_its_position()
    {
        await File.WriteAllTextAsync(Path.Combine(Vault.Root, "mixed.canvas"), """
            {"nodes":[
              {"id":"t1","type":"text","text":"what is a monad?","x":0,"y":0,"width":200,"height":100,"color":"3"},
              {"id":"f1","type":"file","file":"notes/a.md","x":300,"y":0,"width":200,"height":100,"color":"3"}
            ],"edges":[]}
            """);
        var body = ConfirmBody("mixed.canvas", ("oral-explanation", ["t1", "f1"]));

        AssertNamesField(await ConfirmRefusedAsync(body, HttpStatusCode.BadRequest, "invalid_request"), "groups[0].node_ids[1]");
    }

    [Fact]
    public async Task Confirm_with_a_node_in_two_groups_is_a_400_naming_the_second_place()
    {
        var body = ConfirmBody(Vault.CanvasPath, ("oral-explanation", ["n001", "n002"]), ("memory-anchor", ["n003", "n002"]));

        AssertNamesField(await ConfirmRefusedAsync(body, HttpStatusCode.BadRequest, "invalid_request"), "groups[1].node_ids[1]");
    }

    [Fact]
    public async Task Confirm_with_null_entries_is_a_400_naming_each_position()
    {
        var body = ValidBody();
        body["groups"]![0]!["node_ids"]!.AsArray().Add(null);
        body["groups"]!.AsArray().Add(null);

        var problem = await ConfirmRefusedAsync(body, HttpStatusCode.BadRequest, "invalid_request");

        AssertNamesField(problem, "groups[0].node_ids[2]");
        AssertNamesField(problem, "groups[1]");
    }

    [Fact]
    public async Task Confirm_with_more_nodes_than_a_session_may_hold_is_a_400_naming_groups()
    {
        var ids = Enumerable.Range(0, 1001).Select(i => $"x{i}").ToArray();
        var body = ConfirmBody(Vault.CanvasPath, ("oral-explanation", ids));

        AssertNamesField(await ConfirmRefusedAsync(body, HttpStatusCode.BadRequest, "invalid_request"), "groups");
    }

    [Fact]
    public async Task Confirm_with_a_group_id_used_twice_is_a_400_naming_it()
    {
        var body = ConfirmBody(Vault.CanvasPath, ("oral-explanation", ["n001"]), ("memory-anchor", ["n002"]));
        body["groups"]![1]!["group_id"] = "g1";

        AssertNamesField(await ConfirmRefusedAsync(body, HttpStatusCode.BadRequest, "invalid_request"), "groups[1].group_id");
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("null")]
    public async Task Confirm_with_no_groups_is_a_400_naming_groups(string groups)
    {
        var body = ValidBody();
        body["groups"] = JsonNode.Parse(groups);

        AssertNamesField(await ConfirmRefusedAsync(body, HttpStatusCode.BadRequest, "invalid_request"), "groups");
    }

    [Fact]
    public async Task Confirm_with_a_group_without_node_ids_is_a_400_naming_them()
    {
        var body = ConfirmBody(Vault.CanvasPath, ("oral-explanation", []));

        AssertNamesField(await ConfirmRefusedAsync(body, HttpStatusCode.BadRequest, "invalid_request"), "groups[0].node_ids");
    }

    [Fact]
    public async Task Confirm_with_an_unknown_agent_provider_is_a_400_naming_the_field()
    {
        var body = ValidBody();
        body["agent_provider"] = "no-such-provider";

        AssertNamesField(await ConfirmRefusedAsync(body, HttpStatusCode.BadRequest, "invalid_request"), "agent_provider");
    }

    [Theory]
    [InlineData("{\"canvas_path\": \"study.canvas\",")]
    [InlineData("{")]
    [InlineData("not json at all")]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("{\"canvas_path\": \"study.canvas\"} trailing")]
    public async Task Confirm_with_a_body_that_is_not_a_json_object_is_a_400_invalid_request(string text)
    {
        using var response = await Client.PostRawAsync(ConfirmPath, text);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
    }

    [Theory]
    [InlineData("max_concurrent", "\"2\"")]
    [InlineData("max_concurrent", "true")]
    [InlineData("timeout", "\"600\"")]
    [InlineData("timeout", "1.5")]
    [InlineData("timeout", "99999999999")]
    [InlineData("canvas_path", "42")]
    [InlineData("groups", "\"g1\"")]
    public async Task Confirm_with_a_value_of_the_wrong_type_is_a_400_naming_the_field(string field, string value)
    {
        var body = ValidBody();
        body[field] = JsonNode.Parse(value);

        AssertNamesField(await ConfirmRefusedAsync(body, HttpStatusCode.BadRequest, "invalid_request"), field);
    }

    [Fact]
    public async Task Confirm_with_node_ids_as_a_string_is_a_400_naming_the_nested_field()
    {
        var body = ValidBody();
        body["groups"]![0]!["node_ids"] = "n001";

        AssertNamesField(await ConfirmRefusedAsync(body, HttpStatusCode.BadRequest, "invalid_request"), "groups[0].node_ids");
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task Confirm_without_a_json_content_type_is_a_415(string mediaType)
    {
        using var response = await Client.PostRawAsync(ConfirmPath, ValidBody().ToJsonString(), mediaType);

        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, "invalid_request");
    }

    [Fact]
    public async Task Confirm_without_any_content_type_is_a_415()
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(ValidBody().ToJsonString()));
        Assert.Null(content.Headers.ContentType);
        using var response = await Client.PostAsync(new Uri(ConfirmPath, UriKind.Relative), content);

        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, "invalid_request");
    }

    [Fact]
    public async Task Confirm_accepts_a_json_content_type_with_a_charset()
    {
        using var content = new StringContent(ValidBody().ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json; charset=utf-8");
        using var response = await Client.PostAsync(new Uri(ConfirmPath, UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await Client.WaitForTerminalAsync(Str(await response.ReadObjectAsync(), "session_id"));
    }

    [Theory]
    [InlineData("broken-syntax.canvas", "{\"nodes\": [ {\"id\": \"n001\", ")]
    [InlineData("array.canvas", "[1, 2, 3]")]
    [InlineData("nodes-number.canvas", "{\"nodes\": 5, \"edges\": []}")]
    [InlineData("node-without-id.canvas", "{\"nodes\": [{\"type\": \"text\"}], \"edges\": []}")]
    public async Task Confirm_on_a_canvas_that_is_not_valid_json_canvas_is_a_422_invalid_canvas(string name, string content)
    {
        await File.WriteAllTextAsync(Path.Combine(Vault.Root, name), content);
        var body = ConfirmBody(name, ("oral-explanation", ["n001"]));

        var problem = await ConfirmRefusedAsync(body, HttpStatusCode.UnprocessableEntity, "invalid_canvas");

        Assert.DoesNotContain(Vault.Root, problem.ToJsonString(), StringComparison.Ordinal);
    }
}
