using System.Text.Json.Nodes;
using CanvasLearning.Cli;

namespace CanvasLearning.Tests.Cli;

public sealed class RunCommandTests : IDisposable
{
    private readonly string _work = Path.Combine(Path.GetTempPath(), "cl-run-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose()
    {
        if (Directory.Exists(_work))
        {
            Directory.Delete(_work, recursive: true);
        }
    }

    [Fact]
    public async Task Run_on_the_sample_vault_explains_every_purple_node_and_leaves_a_canvas_Obsidian_opens()
    {
        var vault = Path.Combine(_work, "vault");
        CopyDirectory(Path.Combine(AppContext.BaseDirectory, "sample-vault"), vault);
        var canvasFile = Directory.GetFiles(vault, "*.canvas").Single();
        var before = JsonNode.Parse(await File.ReadAllTextAsync(canvasFile))!;
        var purple = before["nodes"]!.AsArray().Where(n => n!["type"]!.GetValue<string>() == "text" && n["color"]?.GetValue<string>() == "3")
            .Select(n => n!["id"]!.GetValue<string>()).ToList();

        var exit = await CliApp.Build().Parse(["run", "--vault", vault]).InvokeAsync();

        Assert.Equal(0, exit);
        Assert.True(purple.Count >= 30, $"the sample should hold at least 30 purple nodes, has {purple.Count}");
        var explanations = Path.Combine(vault, Path.GetFileNameWithoutExtension(canvasFile) + "-explanations");
        Assert.Equal(purple.Count, Directory.GetFiles(explanations, "*.md").Length);

        var after = JsonNode.Parse(await File.ReadAllTextAsync(canvasFile))!;
        var nodes = after["nodes"]!.AsArray();
        var ids = nodes.Select(n => n!["id"]!.GetValue<string>()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        var added = nodes.Skip(before["nodes"]!.AsArray().Count).ToList();
        Assert.Equal(purple.Count, added.Count);
        Assert.All(added, n =>
        {
            Assert.Equal("file", n!["type"]!.GetValue<string>());
            Assert.True(File.Exists(Path.Combine(vault, n["file"]!.GetValue<string>())));
            foreach (var field in new[] { "x", "y", "width", "height" })
            {
                Assert.NotNull(n[field]);
            }
        });
        var edges = after["edges"]!.AsArray();
        Assert.All(edges, e => Assert.True(ids.Contains(e!["fromNode"]!.GetValue<string>()) && ids.Contains(e["toNode"]!.GetValue<string>())));
        var newEdges = edges.Skip(before["edges"]!.AsArray().Count).ToList();
        Assert.Equal(purple.Order(), newEdges.Select(e => e!["fromNode"]!.GetValue<string>()).Order());
    }

    [Fact]
    public async Task A_second_run_changes_nothing_on_the_canvas_or_in_the_explanations_folder()
    {
        var vault = Path.Combine(_work, "vault");
        CopyDirectory(Path.Combine(AppContext.BaseDirectory, "sample-vault"), vault);
        var canvasFile = Directory.GetFiles(vault, "*.canvas").Single();
        var explanations = Path.Combine(vault, Path.GetFileNameWithoutExtension(canvasFile) + "-explanations");
        Assert.Equal(0, await CliApp.Build().Parse(["run", "--vault", vault]).InvokeAsync());
        var canvas = await File.ReadAllBytesAsync(canvasFile);
        var files = Snapshot(explanations);

        var exit = await CliApp.Build().Parse(["run", "--vault", vault]).InvokeAsync();

        Assert.Equal(0, exit);
        Assert.Equal(canvas, await File.ReadAllBytesAsync(canvasFile));
        Assert.Equal(files, Snapshot(explanations));
    }

    [Fact]
    public async Task Max_per_session_splits_the_concepts_into_several_sessions_that_explain_each_once()
    {
        var vault = Path.Combine(_work, "vault");
        CopyDirectory(Path.Combine(AppContext.BaseDirectory, "sample-vault"), vault);
        var canvasFile = Directory.GetFiles(vault, "*.canvas").Single();
        var before = CanvasLearning.Canvas.CanvasDocument.Parse(await File.ReadAllBytesAsync(canvasFile));
        var marked = before.TextNodesWithColor("3").Count;

        var exit = await CliApp.Build().Parse(["run", "--vault", vault, "--max-per-session", "10"]).InvokeAsync();

        Assert.Equal(0, exit);
        var after = CanvasLearning.Canvas.CanvasDocument.Parse(await File.ReadAllBytesAsync(canvasFile));
        Assert.Equal(marked, after.Nodes.Count - before.Nodes.Count);
        var explanations = Path.Combine(vault, Path.GetFileNameWithoutExtension(canvasFile) + "-explanations");
        Assert.Equal(marked, Directory.GetFiles(explanations, "*.md").Length);
        Assert.Equal((marked + 9) / 10, await CountSessionsAsync(Path.Combine(vault, ".canvas-learning", "sessions.db")));
    }

    private static async Task<long> CountSessionsAsync(string database)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM sessions";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static List<(string Name, string Content)> Snapshot(string folder) =>
        Directory.GetFiles(folder).Order(StringComparer.Ordinal).Select(f => (Path.GetFileName(f), File.ReadAllText(f))).ToList();

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
