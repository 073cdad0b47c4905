using CanvasLearning.Realtime;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using static CanvasLearning.Tests.Dashboard.DashboardHarness;
using static Microsoft.Playwright.Assertions;

namespace CanvasLearning.Tests.Dashboard;

/// <summary>The page keeps an exact picture of a session when its socket is cut, and when sockets cannot be had at all.</summary>
[Collection(BrowserTests.Name)]
public sealed class DashboardResilienceTests(BrowserFixture browser)
{
    [Fact]
    public async Task Sockets_shut_and_cut_by_the_server_mid_run_are_resumed_from_the_last_seq_and_every_node_ends_shown_once()
    {
        var cutter = new SocketCutter();
        await using var harness = await StartAsync(nodes: 6, settings: new(SocketRefusal.Settings) { ["Realtime:RetryAfterSeconds"] = "0" },
            configure: services => services.AddSingleton<IStartupFilter>(cutter));
        var nodes = harness.Vault.NodeIds.ToArray();
        var id = await harness.ConfirmAsync(("oral-explanation", nodes[..3]), ("memory-anchor", nodes[3..]));
        await using var tab = await harness.OpenAsync(browser, $"#/session/{id}");
        var page = tab.Page;
        await ExpectConnectionAsync(page, "live");
        await harness.Agent.WaitForStartsAsync(6);
        harness.Agent.Release("n001", "n004");
        await ExpectNodeAsync(page, "n001", "completed");
        await ExpectNodeAsync(page, "n004", "completed");
        var reconnected = page.Locator("#event-log li.notice", new() { HasTextString = "reconnected: replaying after seq" });

        // The server closes every socket (error server_shutdown, close 1012) while more nodes finish.
        var registry = harness.Server.Services.GetRequiredService<ConnectionRegistry>();
        var shut = registry.Connections.ToList();
        Assert.NotEmpty(shut);
        foreach (var connection in shut)
        {
            connection.Shutdown(retryAfter: 0);
        }

        harness.Agent.Release("n002", "n005");
        await Expect(reconnected).ToHaveCountAsync(1);
        await ExpectNodeAsync(page, "n002", "completed");
        await ExpectNodeAsync(page, "n005", "completed");
        await ExpectConnectionAsync(page, "live");

        // Then cut them without a close frame (the browser sees 1006) while the rest finish.
        Assert.True(cutter.Cut() > 0, "no socket to cut");
        harness.Agent.ReleaseAll();
        await Expect(reconnected).ToHaveCountAsync(2);

        await ExpectSessionStatusAsync(page, "completed");
        foreach (var node in nodes)
        {
            await ExpectNodeAsync(page, node, "completed");
        }

        await ExpectConnectionAsync(page, "ended");
        await harness.AssertShownOnceAsync(page, id, nodes);
        tab.AssertNoErrors(socketRefusals: true);
    }

    [Fact]
    public async Task With_sockets_refused_the_page_polls_and_reaches_the_same_end_state()
    {
        var refusal = new SocketRefusal();
        await using var harness = await StartAsync(nodes: 4, settings: SocketRefusal.Settings, configure: services => services.AddSingleton<IStartupFilter>(refusal));
        harness.Agent.FailOnce["n003"] = true;
        var nodes = harness.Vault.NodeIds.ToArray();
        var id = await harness.ConfirmAsync(("oral-explanation", nodes));
        await using var tab = await harness.OpenAsync(browser, $"#/session/{id}");
        var page = tab.Page;

        await ExpectConnectionAsync(page, "polling");
        await harness.Agent.WaitForStartsAsync(4);
        await ExpectNodeAsync(page, "n001", "running");
        harness.Agent.ReleaseAll();

        await ExpectSessionStatusAsync(page, "partial_failure");
        await ExpectNodeAsync(page, "n001", "completed");
        await ExpectNodeAsync(page, "n002", "completed");
        await ExpectNodeAsync(page, "n003", "failed");
        await ExpectNodeAsync(page, "n004", "completed");
        await Expect(Node(page, "n003")).ToContainTextAsync("bad_request: scripted failure for n003");
        await Expect(page.Locator("#fact-done")).ToHaveTextAsync("3 of 4");
        await ExpectConnectionAsync(page, "ended");
        foreach (var node in nodes)
        {
            Assert.Equal(1, await Node(page, node).CountAsync());
        }

        Assert.True(refusal.Refused >= 4, $"only {refusal.Refused} upgrades were refused");
        tab.AssertNoErrors(socketRefusals: true);
    }

    [Fact]
    public async Task While_polling_the_page_returns_to_the_socket_when_it_opens_and_misses_no_event()
    {
        var refusal = new SocketRefusal();
        await using var harness = await StartAsync(nodes: 4, settings: SocketRefusal.Settings, configure: services => services.AddSingleton<IStartupFilter>(refusal));
        var nodes = harness.Vault.NodeIds.ToArray();
        var id = await harness.ConfirmAsync(("oral-explanation", nodes));
        await using var tab = await harness.OpenAsync(browser, $"#/session/{id}");
        var page = tab.Page;
        await ExpectConnectionAsync(page, "polling");
        await harness.Agent.WaitForStartsAsync(4);
        harness.Agent.Release("n001", "n002");
        await ExpectNodeAsync(page, "n001", "completed");
        await ExpectNodeAsync(page, "n002", "completed");

        refusal.Refuse = false;
        await ExpectConnectionAsync(page, "live");
        await Expect(page.Locator("#event-log li.notice", new() { HasTextString = "socket back" })).ToHaveCountAsync(1);
        harness.Agent.ReleaseAll();

        await ExpectSessionStatusAsync(page, "completed");
        await ExpectConnectionAsync(page, "ended");
        await harness.AssertShownOnceAsync(page, id, nodes);
        tab.AssertNoErrors(socketRefusals: true);
    }
}
