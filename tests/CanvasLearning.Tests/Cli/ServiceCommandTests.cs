using System.Text.Json.Nodes;
using CanvasLearning.Realtime;
using CanvasLearning.Tests.Api;
using CanvasLearning.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CanvasLearning.Tests.Cli;

/// <summary>
/// <c>run --server</c>, <c>watch</c>, <c>status</c>, <c>cancel</c> and <c>retry</c> as child processes
/// against the real HTTP service on 127.0.0.1 (agent: the scripted fake, so a test says which nodes fail or hang).
/// </summary>
public sealed class ServiceCommandTests : IAsyncLifetime
{
    private readonly TestVault _vault = new(purpleNodes: 6);
    private TestServer _server = null!;

    private string Url => _server.BaseAddress.ToString().TrimEnd('/');

    private ScriptedAgentProvider Agent => _server.Agent!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(_vault);

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _vault.Dispose();
    }

    [Fact]
    public async Task Run_with_server_explains_the_canvas_on_the_service_and_exits_0()
    {
        var (exit, cli) = await CliProcess.RunAsync(["run", "--server", Url, "--canvas", _vault.CanvasPath]);

        Assert.True(exit == 0, cli.Output);
        Assert.Contains(cli.Stdout, l => l.Contains("completed: 6 explained, 0 failed", StringComparison.Ordinal));
        Assert.Contains(cli.Stdout, l => l.Contains("study-explanations (in the server's vault)", StringComparison.Ordinal));
        Assert.Equal(6, Directory.GetFiles(Path.Combine(_vault.Root, "study-explanations"), "*.md").Length);
        Assert.Equal(6, cli.Stdout.Count(l => l.StartsWith('✓')));
    }

    [Fact]
    public async Task Run_with_server_exits_1_when_nodes_fail_and_names_them_with_the_retry_command()
    {
        Agent.FailTimes["n002"] = 100;

        var (exit, cli) = await CliProcess.RunAsync(["run", "--server", Url, "--canvas", _vault.CanvasPath, "--yes"]);

        Assert.True(exit == 1, cli.Output);
        Assert.Contains(cli.Stdout, l => l.StartsWith('✗') && l.Contains("scripted failure for n002", StringComparison.Ordinal));
        Assert.Contains(cli.Stdout, l => l.Contains("partial_failure: 5 explained, 1 failed", StringComparison.Ordinal));
        Assert.Contains(cli.Stdout, l => l.Contains("│ n002", StringComparison.Ordinal));
        Assert.Contains(cli.Stdout, l => l.Contains("canvas-learning retry ip-", StringComparison.Ordinal) && l.Contains($"--server {Url}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_with_server_json_prints_only_the_final_state_on_standard_output()
    {
        var (exit, cli) = await CliProcess.RunAsync(["run", "--server", Url, "--canvas", _vault.CanvasPath, "--json"]);

        Assert.True(exit == 0, cli.Output);
        var final = JsonNode.Parse(Assert.Single(cli.Stdout))!;
        Assert.Equal("completed", final["status"]!.GetValue<string>());
        Assert.Equal(6, final["completed_nodes"]!.GetValue<int>());
    }

    [Fact]
    public async Task Status_without_an_id_lists_the_sessions_and_with_json_gives_the_servers_answer()
    {
        var id = await StartAsync();
        await _server.Client.WaitForTerminalAsync(id);

        var (exit, table) = await CliProcess.RunAsync(["status", "--server", Url]);
        var (jsonExit, json) = await CliProcess.RunAsync(["status", "--server", Url, "--json"]);

        Assert.True(exit == 0, table.Output);
        Assert.Contains(table.Stdout, l => l.Contains(id, StringComparison.Ordinal) && l.Contains("completed", StringComparison.Ordinal));
        Assert.True(jsonExit == 0, json.Output);
        var sessions = JsonNode.Parse(string.Join("\n", json.Stdout))!["sessions"]!.AsArray();
        Assert.Equal(id, sessions.Single()!["session_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Status_of_a_session_as_json_has_every_nodes_status_and_exits_as_the_session_ended()
    {
        Agent.FailTimes["n001"] = 100;
        var id = await StartAsync();
        await _server.Client.WaitForTerminalAsync(id);

        var (exit, cli) = await CliProcess.RunAsync(["status", id, "--server", Url, "--json"]);

        Assert.True(exit == 1, cli.Output);
        var status = JsonNode.Parse(string.Join("\n", cli.Stdout))!;
        Assert.Equal("partial_failure", status["status"]!.GetValue<string>());
        var nodes = status["groups"]!.AsArray().SelectMany(g => g!["nodes"]!.AsArray()).ToList();
        Assert.Equal(6, nodes.Count);
        Assert.Equal("failed", nodes.Single(n => n!["node_id"]!.GetValue<string>() == "n001")!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Watch_json_prints_each_event_once_in_seq_order_then_the_final_state_and_exits_3_on_cancel()
    {
        Agent.Hang["n003"] = true;
        var id = await StartAsync();
        using var watch = CliProcess.Start(["watch", id, "--server", Url, "--json"]);
        await WaitForSocketAsync();

        var (cancelExit, cancel) = await CliProcess.RunAsync(["cancel", id, "--server", Url]);
        var exit = await watch.WaitForExitAsync();

        Assert.True(cancelExit == 0, cancel.Output);
        Assert.Contains(cancel.Stdout, l => l.Contains($"Session {id}: session cancelled", StringComparison.Ordinal));
        Assert.True(exit == 3, watch.Output);
        var lines = watch.Stdout.Select(l => JsonNode.Parse(l)!).ToList();
        var events = lines.SkipLast(1).ToList();
        Assert.All(events, e => Assert.Equal(id, e["session_id"]!.GetValue<string>()));
        var seqs = events.Select(e => e["seq"]!.GetValue<long>()).ToList();
        Assert.Equal(seqs.Order().Distinct(), seqs);
        Assert.Equal("session_completed", events[^1]["type"]!.GetValue<string>());
        Assert.Equal("cancelled", events[^1]["data"]!["status"]!.GetValue<string>());
        Assert.Equal("cancelled", lines[^1]["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Cancel_of_an_ended_session_is_one_line_with_the_servers_detail_and_exit_2()
    {
        var id = await StartAsync();
        await _server.Client.WaitForTerminalAsync(id);

        var (exit, cli) = await CliProcess.RunAsync(["cancel", id, "--server", Url]);

        Assert.Equal(2, exit);
        var line = Assert.Single(cli.Stderr);
        Assert.StartsWith("error (session_already_completed): ", line, StringComparison.Ordinal);
        Assert.Empty(cli.Stdout);
    }

    [Fact]
    public async Task Retry_runs_the_failed_nodes_again_follows_them_and_exits_0()
    {
        Agent.FailTimes["n004"] = 1;
        var id = await StartAsync();
        await _server.Client.WaitForStatusAsync(id, "partial_failure");

        var (exit, cli) = await CliProcess.RunAsync(["retry", id, "--server", Url]);

        Assert.True(exit == 0, cli.Output);
        Assert.Contains(cli.Stdout, l => l.Contains("completed: 6 explained, 0 failed", StringComparison.Ordinal));
        Assert.Equal(2, Agent.Calls["n004"]);
    }

    [Fact]
    public async Task Watch_of_an_unknown_session_is_one_line_naming_it_and_exit_2()
    {
        var (exit, cli) = await CliProcess.RunAsync(["watch", "ip-20260101-000000-00000000", "--server", Url]);

        Assert.Equal(2, exit);
        var line = Assert.Single(cli.Stderr);
        Assert.StartsWith("error (session_not_found): no session 'ip-20260101-000000-00000000'", line, StringComparison.Ordinal);
        Assert.Contains("canvas-learning status", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ctrl_C_without_a_terminal_stops_watching_leaves_the_session_running_and_says_how_to_cancel()
    {
        Agent.Hang["n001"] = true;
        var id = await StartAsync();
        using var watch = CliProcess.Start(["watch", id, "--server", Url]);
        await WaitForSocketAsync();

        watch.Interrupt();
        var exit = await watch.WaitForExitAsync();

        Assert.True(exit == 3, watch.Output);
        Assert.Contains(watch.Stdout, l => l.Contains($"canvas-learning cancel {id} --server {Url}", StringComparison.Ordinal));
        Assert.Equal("running", ApiCalls.Str(await _server.Client.GetSessionAsync(id), "status"));
    }

    [Fact]
    public async Task Run_with_server_without_a_canvas_is_bad_input_exit_2()
    {
        var (exit, cli) = await CliProcess.RunAsync(["run", "--server", Url]);

        Assert.Equal(2, exit);
        Assert.Equal("error (invalid_request): with --server, pass --canvas <path relative to the server's vault>", Assert.Single(cli.Stderr));
    }

    private async Task<string> StartAsync() =>
        await _server.Client.ConfirmIdAsync(ApiCalls.ConfirmBody(_vault.CanvasPath, ("oral-explanation", [.. _vault.NodeIds])));

    /// <summary>Waits until the CLI's socket is attached to the session, so what follows reaches it live.</summary>
    private async Task WaitForSocketAsync()
    {
        var registry = _server.Services.GetRequiredService<ConnectionRegistry>();
        var deadline = DateTime.UtcNow + ApiCalls.Deadline;
        while (registry.Count == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the CLI did not open its WebSocket");
            await Task.Delay(50);
        }
    }
}
