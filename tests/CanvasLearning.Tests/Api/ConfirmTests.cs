using System.Net;
using System.Text.Json.Nodes;
using static CanvasLearning.Tests.Api.ApiCalls;

namespace CanvasLearning.Tests.Api;

public sealed class ConfirmTests() : ApiTestBase(purpleNodes: 12)
{
    private static readonly string[] FirstGroup = ["n001", "n002", "n003"];
    private static readonly string[] SecondGroup = ["n004", "n005", "n006"];

    [Fact]
    public async Task Confirm_answers_202_with_the_new_pending_session_and_its_location()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        using var response = await Client.PostJsonAsync(ConfirmPath,
            ConfirmBody(Vault.CanvasPath, ("oral-explanation", FirstGroup), ("comparison-table", SecondGroup)));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.ReadObjectAsync();
        var id = Str(body, "session_id");
        Assert.Matches("^[A-Za-z0-9_-]{1,64}$", id);
        Assert.Equal("pending", Str(body, "status"));
        Assert.Equal(2, Int(body, "total_groups"));
        Assert.Equal(6, Int(body, "total_nodes"));
        var created = DateTimeOffset.Parse(Str(body, "created_at"), System.Globalization.CultureInfo.InvariantCulture);
        var estimated = DateTimeOffset.Parse(Str(body, "estimated_completion"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(created, before, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.True(estimated >= created, $"estimated_completion {estimated:O} is before created_at {created:O}");
        Assert.Equal($"ws://127.0.0.1:{Server.BaseAddress.Port}/ws/intelligent-parallel/{id}", Str(body, "websocket_url"));

        var location = response.Headers.Location;
        Assert.NotNull(location);
        Assert.EndsWith($"{Base}/{id}", location.OriginalString, StringComparison.Ordinal);
        using var followed = await Client.GetAsync(new Uri(Server.BaseAddress, location));
        Assert.Equal(HttpStatusCode.OK, followed.StatusCode);

        await Client.WaitForTerminalAsync(id);
    }

    [Fact]
    public async Task Polling_a_confirmed_session_reaches_completed_with_a_result_file_per_node()
    {
        var id = await Client.ConfirmIdAsync(
            ConfirmBody(Vault.CanvasPath, ("oral-explanation", FirstGroup), ("comparison-table", SecondGroup)));

        var session = await Client.WaitForTerminalAsync(id);

        Assert.Equal("completed", Str(session, "status"));
        Assert.Equal(id, Str(session, "session_id"));
        Assert.Equal(Vault.CanvasPath, Str(session, "canvas_path"));
        Assert.Equal(2, Int(session, "total_groups"));
        Assert.Equal(6, Int(session, "total_nodes"));
        Assert.Equal(2, Int(session, "completed_groups"));
        Assert.Equal(6, Int(session, "completed_nodes"));
        Assert.Equal(0, Int(session, "failed_nodes"));
        Assert.Equal(100, session["progress_percent"]!.GetValue<double>());
        Assert.True(session["last_seq"]!.GetValue<long>() > 0, "last_seq must count the logged events");
        Assert.NotNull(session["created_at"]?.GetValue<string>());
        Assert.NotNull(session["started_at"]?.GetValue<string>());
        Assert.NotNull(session["completed_at"]?.GetValue<string>());
        var metrics = Assert.IsType<JsonObject>(session["performance_metrics"]);
        Assert.True(metrics.ContainsKey("max_concurrent"), metrics.ToJsonString());

        var groups = session["groups"]!.AsArray();
        Assert.Equal(2, groups.Count);
        foreach (var group in groups)
        {
            Assert.Equal("completed", Str(group!, "status"));
            Assert.Equal(3, Int(group!, "completed_nodes"));
            Assert.Equal(3, Int(group!, "total_nodes"));
            Assert.Empty(group!["errors"]!.AsArray());
        }

        var results = Results(session);
        Assert.Equal([.. FirstGroup, .. SecondGroup], results.Select(r => r.NodeId).Order(StringComparer.Ordinal));
        Assert.Equal(results.Count, results.Select(r => r.FilePath).Distinct(StringComparer.Ordinal).Count());
        foreach (var (agentType, nodeId, filePath, fileSize) in results)
        {
            Assert.Equal(FirstGroup.Contains(nodeId) ? "oral-explanation" : "comparison-table", agentType);
            Assert.True(fileSize > 0, $"{nodeId}: file_size {fileSize}");
            Assert.False(Path.IsPathRooted(filePath), $"file_path must be vault-relative: {filePath}");
            var full = Path.Combine(Vault.Root, filePath);
            Assert.True(File.Exists(full), $"{nodeId}: no file at {filePath}");
            Assert.Equal(fileSize, new FileInfo(full).Length);
            Assert.Contains("explained by the scripted fake", await File.ReadAllTextAsync(full), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_completed_session_adds_a_file_node_and_a_labelled_edge_per_result_and_keeps_the_canvas()
    {
        var id = await Client.ConfirmIdAsync(ConfirmBody(Vault.CanvasPath, ("memory-anchor", ["n007", "n008"]), ("example-teaching", ["n009"])));
        var session = await Client.WaitForStatusAsync(id, "completed");
        var results = Results(session);
        Assert.Equal(3, results.Count);

        var canvas = JsonNode.Parse(await File.ReadAllTextAsync(Vault.CanvasFullPath))!.AsObject();
        var nodes = canvas["nodes"]!.AsArray().Select(n => n!.AsObject()).ToList();
        var edges = canvas["edges"]!.AsArray().Select(e => e!.AsObject()).ToList();
        var ids = nodes.Select(n => Str(n, "id")).ToHashSet(StringComparer.Ordinal);

        foreach (var (agentType, nodeId, filePath, _) in results)
        {
            var fileNode = Assert.Single(nodes, n => n["type"]?.GetValue<string>() == "file" && n["file"]?.GetValue<string>() == filePath);
            var edge = Assert.Single(edges, e => e["toNode"]?.GetValue<string>() == Str(fileNode, "id"));
            Assert.Equal(nodeId, Str(edge, "fromNode"));
            Assert.Equal(agentType, Str(edge, "label"));
        }

        Assert.All(edges, e =>
        {
            Assert.Contains(Str(e, "fromNode"), ids);
            Assert.Contains(Str(e, "toNode"), ids);
        });

        // What was there before is still there, unknown fields included.
        foreach (var nodeId in Vault.NodeIds)
        {
            var node = Assert.Single(nodes, n => Str(n, "id") == nodeId);
            Assert.Equal(Support.TestVault.TextOf(nodeId), Str(node, "text"));
            Assert.Equal("3", Str(node, "color"));
        }

        var other = Assert.Single(nodes, n => Str(n, "id") == "other");
        Assert.Equal(42, Int(other, "customField"));
        Assert.True(canvas["x-extra"]?.GetValue<bool>(), "top-level unknown field 'x-extra' was lost");
        var original = Assert.Single(edges, e => e["id"]?.GetValue<string>() == "e0");
        Assert.Equal("leads to", Str(original, "label"));
    }

    [Fact]
    public async Task A_canvas_in_a_subfolder_with_chinese_text_gets_vault_relative_files_and_file_nodes()
    {
        Directory.CreateDirectory(Path.Combine(Vault.Root, "课程"));
        await File.WriteAllTextAsync(Path.Combine(Vault.Root, "课程", "数学.canvas"), """
            {"nodes":[
              {"id":"c1","type":"text","text":"什么是导数？","x":0,"y":0,"width":300,"height":120,"color":"3"},
              {"id":"c2","type":"text","text":"极限与连续的区别","x":400,"y":0,"width":300,"height":120,"color":"3"}
            ],"edges":[]}
            """);

        var id = await Client.ConfirmIdAsync(ConfirmBody("课程\\数学.canvas", ("oral-explanation", ["c1"]), ("comparison-table", ["c2"])));
        var session = await Client.WaitForStatusAsync(id, "completed");

        Assert.Equal("课程/数学.canvas", Str(session, "canvas_path"));
        var canvas = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Vault.Root, "课程", "数学.canvas")))!;
        foreach (var (_, nodeId, filePath, _) in Results(session))
        {
            Assert.StartsWith("课程/数学-explanations/", filePath, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(Vault.Root, filePath)), $"{nodeId}: no file at {filePath}");
            Assert.Single(canvas["nodes"]!.AsArray(), n => n!["file"]?.GetValue<string>() == filePath);
        }
    }

    [Fact]
    public async Task A_node_a_running_session_is_explaining_is_not_given_to_a_second_session()
    {
        // n010's agent call never ends on its own: its session is still running when the second confirm comes.
        Agent.Hang["n010"] = true;
        try
        {
            var first = await Client.ConfirmIdAsync(ConfirmBody(Vault.CanvasPath, ("deep-decomposition", ["n010"])));
            var second = await Client.ConfirmAsync(ConfirmBody(Vault.CanvasPath, ("deep-decomposition", ["n010", "n012"])));

            var skipped = Assert.Single(second["skipped_nodes"]!.AsArray());
            Assert.Equal(("n010", "being_explained"), (Str(skipped!, "node_id"), Str(skipped!, "reason")));
            Assert.Equal(1, Int(second, "total_nodes"));
            var b = Results(await Client.WaitForStatusAsync(Str(second, "session_id"), "completed"));
            Assert.Equal(["n012"], b.Select(r => r.NodeId));
            using var cancel = await Client.PostRawAsync($"{Base}/cancel/{first}", "");
            Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        }
        finally
        {
            Agent.Hang.TryRemove("n010", out _);
        }
    }
}
