using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using CanvasLearning.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CanvasLearning.Tests.Cli;

/// <summary>The CLI against a real <c>serve</c> child, a server with an API key, one that refuses sockets, none at all; and an in-process run stopped and resumed.</summary>
public sealed class CliEdgeTests : IDisposable
{
    private const string Key = "cli-test-key-0123456789";
    private readonly TestVault _vault = new(purpleNodes: 5);

    public void Dispose() => _vault.Dispose();

    [Fact]
    public async Task Run_with_server_against_a_real_serve_child_then_status_json_reports_the_session()
    {
        using var serve = await ChildServer.StartAsync(_vault.Root, new Dictionary<string, string>());
        var url = serve.BaseAddress.ToString().TrimEnd('/');

        var (exit, run) = await CliProcess.RunAsync(["run", "--server", url, "--canvas", _vault.CanvasPath, "--json"]);

        Assert.True(exit == 0, run.Output + serve.Output);
        var id = JsonNode.Parse(Assert.Single(run.Stdout))!["session_id"]!.GetValue<string>();
        var (statusExit, status) = await CliProcess.RunAsync(["status", id, "--server", url, "--json"]);
        Assert.True(statusExit == 0, status.Output);
        var answer = JsonNode.Parse(string.Join("\n", status.Stdout))!;
        Assert.Equal("completed", answer["status"]!.GetValue<string>());
        Assert.Equal(5, answer["groups"]!.AsArray().SelectMany(g => g!["nodes"]!.AsArray()).Count(n => n!["status"]!.GetValue<string>() == "completed"));
    }

    [Fact]
    public async Task A_server_with_an_api_key_refuses_the_cli_without_it_in_one_line_and_serves_it_with_the_key()
    {
        await using var server = await TestServer.StartAsync(_vault, settings: new Dictionary<string, string?> { ["Security:ApiKey"] = Key });
        var url = server.BaseAddress.ToString().TrimEnd('/');

        var (refusedExit, refused) = await CliProcess.RunAsync(["status", "--server", url]);
        var (exit, run) = await CliProcess.RunAsync(["run", "--server", url, "--canvas", _vault.CanvasPath],
            new Dictionary<string, string> { ["CANVAS_LEARNING_API_KEY"] = Key });

        Assert.Equal(2, refusedExit);
        var line = Assert.Single(refused.Stderr);
        Assert.StartsWith("error (unauthorized): ", line, StringComparison.Ordinal);
        Assert.Contains("--api-key", line, StringComparison.Ordinal);
        Assert.True(exit == 0, run.Output);
        Assert.Contains(run.Stdout, l => l.Contains("completed: 5 explained, 0 failed", StringComparison.Ordinal));
        Assert.DoesNotContain(run.Stdout, l => l.Contains("polling", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_with_server_falls_back_to_polling_when_the_socket_cannot_be_opened()
    {
        await using var server = await TestServer.StartAsync(_vault, settings: new Dictionary<string, string?> { ["Realtime:DirectSockets"] = "false" },
            configure: s => s.AddTransient<IStartupFilter, RefuseSockets>());

        var (exit, run) = await CliProcess.RunAsync(["run", "--server", server.BaseAddress.ToString(), "--canvas", _vault.CanvasPath]);

        Assert.True(exit == 0, run.Output);
        Assert.Contains(run.Stdout, l => l.Contains("the WebSocket could not be opened", StringComparison.Ordinal) && l.Contains("polling", StringComparison.Ordinal));
        Assert.Contains(run.Stdout, l => l.Contains("completed: 5 explained, 0 failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unreachable_server_is_one_line_and_exit_2()
    {
        var url = $"http://127.0.0.1:{ClosedPort()}";

        foreach (var args in new[] { new[] { "status", "--server", url }, ["watch", "ip-x", "--server", url], ["run", "--server", url, "--canvas", "a.canvas"] })
        {
            var (exit, cli) = await CliProcess.RunAsync(args);

            Assert.True(exit == 2, cli.Output);
            var line = Assert.Single(cli.Stderr);
            Assert.StartsWith($"error (unreachable): cannot reach the service at {url}/", line, StringComparison.Ordinal);
            Assert.Contains("canvas-learning serve", line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Ctrl_C_stops_an_in_process_run_and_the_next_run_resumes_the_session()
    {
        using (var first = CliProcess.Start(["run", "--vault", _vault.Root, "--offline-latency-ms", "600000"]))
        {
            await first.WaitForLineAsync("started; Ctrl+C stops watching");
            first.Interrupt();
            var stopped = await first.WaitForExitAsync();

            Assert.True(stopped == 3, first.Output);
            Assert.Contains(first.Stdout, l => l.Contains("the next `canvas-learning run --vault", StringComparison.Ordinal) && l.Contains("resumes it", StringComparison.Ordinal));
        }

        var (exit, second) = await CliProcess.RunAsync(["run", "--vault", _vault.Root]);

        Assert.True(exit == 0, second.Output);
        Assert.Contains(second.Stdout, l => l.Contains("was left unfinished by an earlier run", StringComparison.Ordinal));
        Assert.Equal(5, Directory.GetFiles(Path.Combine(_vault.Root, "study-explanations"), "*.md").Length);
    }

    [Fact]
    public async Task Help_documents_the_exit_codes_of_every_command()
    {
        foreach (var command in new[] { "run", "watch", "status", "cancel", "retry" })
        {
            var (exit, cli) = await CliProcess.RunAsync([command, "--help"]);

            Assert.Equal(0, exit);
            var help = string.Join(" ", cli.Stdout.Select(l => l.Trim()));
            Assert.Contains("Exit codes: 0 all done; 1 some nodes failed", help, StringComparison.Ordinal);
            Assert.Contains("3 cancelled", help, StringComparison.Ordinal);
        }
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>A proxy that blocks WebSocket upgrades: REST passes, the socket paths answer 403.</summary>
    private sealed class RefuseSockets : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, following) =>
            {
                if (context.Request.Path.Value?.Contains("/ws/", StringComparison.Ordinal) == true)
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return;
                }

                await following(context);
            });
            next(app);
        };
    }
}
