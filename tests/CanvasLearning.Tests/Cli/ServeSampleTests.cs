using System.Net;
using System.Text.Json.Nodes;
using CanvasLearning.Tests.Canvas;
using CanvasLearning.Tests.Support;

namespace CanvasLearning.Tests.Cli;

/// <summary><c>serve --sample</c>: a new user's way to the dashboard without a vault of their own.</summary>
public sealed class ServeSampleTests
{
    [Fact]
    public async Task Serve_sample_serves_a_fresh_copy_of_the_sample_vault_and_prints_the_dashboard_address()
    {
        using var folder = new TempDirectory();
        using var server = await ChildServer.StartAsync(["--sample"], new Dictionary<string, string>(), folder.Path);
        await WaitForAsync(() => server.Output.Contains("dashboard: http://", StringComparison.Ordinal), () => server.Output);

        Assert.Contains($"vault: {Path.Combine(folder.Path, "canvas-learning-sample")}", server.Output, StringComparison.Ordinal);
        using var page = await server.Client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var canvases = JsonNode.Parse(await server.Client.GetStringAsync("/api/v1/vault/canvases"))!["canvases"]!.AsArray();
        Assert.Contains("离散数学与编程.canvas", canvases.Select(c => c!["path"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Serve_without_a_vault_or_the_sample_is_one_line_and_exit_code_2()
    {
        var result = await ChildProgram.RunAsync(["serve"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--vault", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("--sample", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StandardError, StringComparison.Ordinal);
    }

    private static async Task WaitForAsync(Func<bool> condition, Func<string> what)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!condition())
        {
            Assert.False(deadline.IsCancellationRequested, $"not seen within 60 s: {what()}");
            await Task.Delay(20);
        }
    }
}
