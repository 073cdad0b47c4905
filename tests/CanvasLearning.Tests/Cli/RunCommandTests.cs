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
