using System.Net;
using System.Text.Json.Nodes;
using CanvasLearning.Agents;
using CanvasLearning.Tests.Support;
using static CanvasLearning.Tests.Api.ApiCalls;

namespace CanvasLearning.Tests.Api;

/// <summary>POST / (analyze) on the <see cref="TestVault"/> canvas: 8 purple text nodes and one uncolored.</summary>
public sealed class AnalyzeTests() : ApiTestBase(purpleNodes: 8)
{
    private static readonly string[] Priorities = ["high", "medium", "low"];

    private JsonObject Body() => new() { ["canvas_path"] = Vault.CanvasPath };

    private async Task<JsonObject> AnalyzeAsync(JsonNode body)
    {
        using var response = await Client.PostJsonAsync(Base, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"analyze answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    [Fact]
    public async Task Analyze_groups_every_purple_node_once_and_recommends_a_known_agent()
    {
        var answer = await AnalyzeAsync(Body());

        Assert.Equal(Vault.CanvasPath, Str(answer, "canvas_path"));
        Assert.Equal(Vault.NodeIds.Count, Int(answer, "total_nodes"));
        var groups = answer["groups"]!.AsArray();
        Assert.NotEmpty(groups);
        var grouped = groups.SelectMany(g => g!["nodes"]!.AsArray().Select(n => Str(n!, "node_id"))).ToList();
        Assert.Equal(Vault.NodeIds.Order(StringComparer.Ordinal), grouped.Order(StringComparer.Ordinal));
        Assert.DoesNotContain("other", grouped);
        Assert.Equal(groups.Count, groups.Select(g => Str(g!, "group_id")).Distinct(StringComparer.Ordinal).Count());
        foreach (var group in groups)
        {
            Assert.False(string.IsNullOrWhiteSpace(Str(group!, "group_name")));
            Assert.False(string.IsNullOrWhiteSpace(Str(group!, "group_emoji")));
            Assert.Contains(Str(group!, "recommended_agent"), AgentTypes.All);
            Assert.InRange(group!["confidence"]!.GetValue<double>(), 0, 1);
            Assert.Contains(Str(group!, "priority"), Priorities);
            Assert.All(group!["nodes"]!.AsArray(), n => Assert.Equal(TestVault.TextOf(Str(n!, "node_id")), Str(n!, "text")));
        }

        Assert.True(answer.ContainsKey("silhouette_score"), answer.ToJsonString());
        Assert.InRange(answer["silhouette_score"]!.GetValue<double>(), -1, 1);
        Assert.True(Int(answer, "recommended_k") >= 1, answer.ToJsonString());
        Assert.True(Int(answer, "estimated_duration") > 0, answer.ToJsonString());
        Assert.True(answer.ContainsKey("resource_warning"), answer.ToJsonString());
    }

    [Fact]
    public async Task Analyze_is_deterministic()
    {
        var first = await AnalyzeAsync(Body());
        var second = await AnalyzeAsync(Body());

        Assert.Equal(first.ToJsonString(), second.ToJsonString());
    }

    [Fact]
    public async Task Analyze_with_max_groups_gives_at_most_that_many_groups()
    {
        var body = Body();
        body["max_groups"] = 2;
        body["min_nodes_per_group"] = 1;

        var answer = await AnalyzeAsync(body);

        Assert.InRange(answer["groups"]!.AsArray().Count, 1, 2);
        Assert.Equal(Vault.NodeIds.Count, answer["groups"]!.AsArray().Sum(g => g!["nodes"]!.AsArray().Count));
    }

    [Theory]
    [InlineData("6")]
    [InlineData("#123456")]
    public async Task Analyze_of_a_color_no_node_has_finds_nothing(string color)
    {
        var body = Body();
        body["target_color"] = color;

        var answer = await AnalyzeAsync(body);

        Assert.Equal(0, Int(answer, "total_nodes"));
        Assert.Empty(answer["groups"]!.AsArray());
    }

    [Fact]
    public async Task Analyzed_groups_can_be_confirmed_as_they_are_and_complete()
    {
        var analysis = await AnalyzeAsync(Body());
        var groups = new JsonArray();
        foreach (var group in analysis["groups"]!.AsArray())
        {
            groups.Add(new JsonObject
            {
                ["group_id"] = Str(group!, "group_id"),
                ["agent_type"] = Str(group!, "recommended_agent"),
                ["node_ids"] = new JsonArray(group!["nodes"]!.AsArray().Select(n => (JsonNode?)JsonValue.Create(Str(n!, "node_id"))).ToArray()),
            });
        }

        var id = await Client.ConfirmIdAsync(new JsonObject { ["canvas_path"] = Vault.CanvasPath, ["groups"] = groups });
        var session = await Client.WaitForTerminalAsync(id);

        Assert.Equal("completed", Str(session, "status"));
        Assert.Equal(Int(analysis, "total_nodes"), Int(session, "completed_nodes"));
        Assert.Equal(groups.Count, Int(session, "total_groups"));
    }

    [Theory]
    [InlineData("3")]
    [InlineData("yellow")]
    [InlineData(" Yellow ")]
    public async Task A_target_color_may_be_named_as_Obsidian_shows_it(string color)
    {
        var body = Body();
        body["target_color"] = color;
        var analysis = await AnalyzeAsync(body);

        Assert.Equal(Vault.NodeIds.Count, Int(analysis, "total_nodes"));
    }

    [Theory]
    [InlineData("violet")]
    [InlineData("7")]
    [InlineData("#12345")]
    [InlineData("#gggggg")]
    public async Task Analyze_with_a_target_color_that_is_not_a_canvas_color_is_a_400_naming_it(string color)
    {
        var body = Body();
        body["target_color"] = color;
        using var response = await Client.PostJsonAsync(Base, body);

        AssertNamesField(await response.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request"), "target_color");
    }

    [Theory]
    [InlineData("max_groups", 0)]
    [InlineData("max_groups", 51)]
    [InlineData("min_nodes_per_group", 0)]
    public async Task Analyze_with_a_count_out_of_range_is_a_400_naming_it(string field, int value)
    {
        var body = Body();
        body[field] = value;
        using var response = await Client.PostJsonAsync(Base, body);

        AssertNamesField(await response.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request"), field);
    }

    [Fact]
    public async Task Analyze_of_a_missing_canvas_is_a_404_canvas_not_found()
    {
        using var response = await Client.PostJsonAsync(Base, new JsonObject { ["canvas_path"] = "missing.canvas" });

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "canvas_not_found");
    }

    [Fact]
    public async Task Analyze_without_canvas_path_or_outside_the_vault_is_a_400()
    {
        using (var missing = await Client.PostJsonAsync(Base, new JsonObject { ["target_color"] = "3" }))
        {
            AssertNamesField(await missing.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request"), "canvas_path");
        }

        using var outside = await Client.PostJsonAsync(Base, new JsonObject { ["canvas_path"] = "../study.canvas" });
        AssertNamesField(await outside.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request"), "canvas_path");
    }

    [Fact]
    public async Task Analyze_of_an_invalid_canvas_is_a_422_invalid_canvas()
    {
        await File.WriteAllTextAsync(Path.Combine(Vault.Root, "broken.canvas"), "{\"nodes\": [");

        using var response = await Client.PostJsonAsync(Base, new JsonObject { ["canvas_path"] = "broken.canvas" });

        await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid_canvas");
    }

    [Fact]
    public async Task Analyze_with_malformed_json_or_no_json_content_type_is_refused()
    {
        using (var malformed = await Client.PostRawAsync(Base, "{\"canvas_path\": "))
        {
            await malformed.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        }

        using (var wrongType = await Client.PostRawAsync(Base, "{\"canvas_path\": \"study.canvas\", \"max_groups\": \"two\"}"))
        {
            AssertNamesField(await wrongType.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request"), "max_groups");
        }

        using var plain = await Client.PostRawAsync(Base, Body().ToJsonString(), "text/plain");
        await plain.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, "invalid_request");
    }
}
