using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CanvasLearning.Tests.Canvas;
using static CanvasLearning.Tests.Api.ApiCalls;

namespace CanvasLearning.Tests.Api;

/// <summary>Running twice over a real-like canvas, through the real service: results a learner keeps.</summary>
public sealed partial class RerunTests() : ApiTestBase(purpleNodes: 2)
{
    [Fact]
    public async Task A_second_run_leaves_the_canvas_byte_identical_and_adds_no_file()
    {
        var canvas = WriteCanvas("maps/复习地图.canvas", RealLikeCanvas.StudyMap(CanvasStyle.ObsidianCrlfBom).Text);
        var analysis = await AnalyzeAsync(canvas);
        var total = Int(analysis, "total_nodes");
        Assert.Equal("completed", Str(await Client.WaitForTerminalAsync(await Client.ConfirmIdAsync(ConfirmAll(canvas, analysis))), "status"));
        var bytes = await File.ReadAllBytesAsync(Full(canvas));
        var folder = Folder("maps/复习地图-explanations");
        Assert.Equal(total, folder.Count);

        var again = await AnalyzeAsync(canvas);
        using var response = await Client.PostJsonAsync(ConfirmPath, ConfirmAll(canvas, again));

        Assert.Equal(total, again["already_explained"]!.AsArray().Count);
        var problem = await response.AssertProblemAsync(HttpStatusCode.Conflict, "nothing_to_explain");
        Assert.Contains($"{total} already explained", Str(problem, "detail"), StringComparison.Ordinal);
        Assert.Contains("\"regenerate\": true", Str(problem, "detail"), StringComparison.Ordinal);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(Full(canvas)));
        Assert.Equal(folder, Folder("maps/复习地图-explanations"));
    }

    [Fact]
    public async Task The_first_run_only_adds_lines_in_Obsidian_s_own_layout()
    {
        var canvas = WriteCanvas("study-map.canvas", RealLikeCanvas.StudyMap(CanvasStyle.ObsidianCrlfBom, seed: 2).Text);
        var before = await File.ReadAllTextAsync(Full(canvas));
        var analysis = await AnalyzeAsync(canvas);

        await Client.WaitForStatusAsync(await Client.ConfirmIdAsync(ConfirmAll(canvas, analysis)), "completed");

        var added = CanvasDiffAssert.OnlyAddedLines(before, await File.ReadAllTextAsync(Full(canvas)));
        Assert.Equal(2 * Int(analysis, "total_nodes"), added.Count);
        Assert.All(added, line => Assert.Matches(ObsidianLine(), line));
    }

    [Fact]
    public async Task Regenerate_rewrites_the_file_in_place_and_keeps_the_node_where_the_learner_moved_it()
    {
        var canvas = WriteCanvas("regen.canvas", RealLikeCanvas.StudyMap(CanvasStyle.Obsidian, columns: 1, rows: 3).Text);
        var first = Assert.Single(Results(await Client.WaitForStatusAsync(
            await Client.ConfirmIdAsync(ConfirmBody(canvas, ("oral-explanation", ["c0r00"]))), "completed")));
        var moved = Regex.Replace(await File.ReadAllTextAsync(Full(canvas)), "(\"file\":\"regen-explanations/[^\"]+\",)\"x\":-?\\d+,\"y\":-?\\d+", "$1\"x\":-3000,\"y\":-3000");
        await File.WriteAllTextAsync(Full(canvas), moved);
        var body = ConfirmBody(canvas, ("memory-anchor", ["c0r00"]));
        body["regenerate"] = true;

        var second = Assert.Single(Results(await Client.WaitForStatusAsync(await Client.ConfirmIdAsync(body), "completed")));

        Assert.Equal(first.FilePath, second.FilePath);
        Assert.Contains("memory-anchor", await File.ReadAllTextAsync(Path.Combine(Vault.Root, second.FilePath)), StringComparison.Ordinal);
        Assert.Equal(moved, await File.ReadAllTextAsync(Full(canvas)));
        Assert.Single(Folder("regen-explanations"));
    }

    [Fact]
    public async Task Analyze_leaves_out_empty_and_embed_only_cards_and_says_why()
    {
        var canvas = WriteCanvas("cards.canvas", Cards());

        var analysis = await AnalyzeAsync(canvas);

        Assert.Equal(2, Int(analysis, "total_nodes"));
        var skipped = analysis["skipped_nodes"]!.AsArray().Select(s => (Str(s!, "node_id"), Str(s!, "reason"))).ToList();
        Assert.Equal([("empty", "empty_text"), ("blank", "empty_text"), ("image", "embed_only"), ("rule", "empty_text")], skipped);
        Assert.All(analysis["skipped_nodes"]!.AsArray(), s => Assert.False(string.IsNullOrWhiteSpace(Str(s!, "message"))));
    }

    [Fact]
    public async Task Confirming_an_empty_card_skips_it_with_the_reason_and_explains_the_rest()
    {
        var canvas = WriteCanvas("cards2.canvas", Cards());

        var answer = await Client.ConfirmAsync(ConfirmBody(canvas, ("oral-explanation", ["image", "zh"])));

        var skipped = Assert.Single(answer["skipped_nodes"]!.AsArray());
        Assert.Equal(("image", "embed_only"), (Str(skipped!, "node_id"), Str(skipped!, "reason")));
        var results = Results(await Client.WaitForStatusAsync(Str(answer, "session_id"), "completed"));
        Assert.Equal(["zh"], results.Select(r => r.NodeId));
    }

    [Fact]
    public async Task A_truncated_canvas_is_refused_naming_the_file_once()
    {
        var text = RealLikeCanvas.StudyMap(CanvasStyle.Obsidian).Text;
        var canvas = WriteCanvas("broken-map.canvas", text[..(text.Length / 2)]);

        using var response = await Client.PostJsonAsync(Base, new JsonObject { ["canvas_path"] = canvas });

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid_canvas");
        Assert.Single(Regex.Matches(Str(problem, "detail"), "broken-map"));
    }

    private static string Cards() => """
        {"nodes":[
        	{"id":"empty","type":"text","text":"","x":0,"y":0,"width":250,"height":60,"color":"3"},
        	{"id":"blank","type":"text","text":"  \n\t ","x":0,"y":100,"width":250,"height":60,"color":"3"},
        	{"id":"image","type":"text","text":"![[diagram.png]]\n","x":0,"y":200,"width":250,"height":60,"color":"3"},
        	{"id":"rule","type":"text","text":"---\n**","x":0,"y":300,"width":250,"height":60,"color":"3"},
        	{"id":"zh","type":"text","text":"什么是图？ ![[graph.png]]","x":0,"y":400,"width":250,"height":60,"color":"3"},
        	{"id":"en","type":"text","text":"What is a graph?","x":0,"y":500,"width":250,"height":60,"color":"3"}
        ],"edges":[]}
        """;

    private async Task<JsonObject> AnalyzeAsync(string canvas)
    {
        using var response = await Client.PostJsonAsync(Base, new JsonObject { ["canvas_path"] = canvas });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadObjectAsync();
    }

    private static JsonObject ConfirmAll(string canvas, JsonObject analysis) =>
        ConfirmBody(canvas, analysis["groups"]!.AsArray()
            .Select(g => (Str(g!, "recommended_agent"), g!["nodes"]!.AsArray().Select(n => Str(n!, "node_id")).ToArray()))
            .ToArray());

    private string WriteCanvas(string relative, string text)
    {
        var full = Full(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
        return relative;
    }

    private string Full(string relative) => Path.Combine(Vault.Root, relative);

    /// <summary>Every file of the folder with its content: what a learner would see change.</summary>
    private List<(string Name, string Content)> Folder(string relative) =>
        Directory.GetFiles(Full(relative)).Order(StringComparer.Ordinal).Select(f => (Path.GetFileName(f), File.ReadAllText(f))).ToList();

    [GeneratedRegex("""^\t\t\{"id":"[0-9a-f]{16}",("type":"file","file":"[^"]+","x":-?\d+,"y":-?\d+,"width":400,"height":300|"fromNode":"[^"]+","fromSide":"\w+","toNode":"[0-9a-f]{16}","toSide":"\w+","label":"[a-z-]+")\},?\r\n$""")]
    private static partial Regex ObsidianLine();
}
