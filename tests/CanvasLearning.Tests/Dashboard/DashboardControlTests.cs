using static CanvasLearning.Tests.Dashboard.DashboardHarness;
using static Microsoft.Playwright.Assertions;

namespace CanvasLearning.Tests.Dashboard;

/// <summary>Cancel and retry from the page, and a server with an API key.</summary>
[Collection(BrowserTests.Name)]
public sealed class DashboardControlTests(BrowserFixture browser)
{
    [Fact]
    public async Task Cancel_stops_a_running_session_and_shows_its_nodes_cancelled()
    {
        await using var harness = await StartAsync(nodes: 3);
        var nodes = harness.Vault.NodeIds.ToArray();
        var id = await harness.ConfirmAsync(("oral-explanation", nodes));
        await using var tab = await harness.OpenAsync(browser, $"#/session/{id}");
        var page = tab.Page;
        await harness.Agent.WaitForStartsAsync(3);
        await ExpectNodeAsync(page, "n001", "running");

        await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Cancel session" }).ClickAsync();

        await ExpectSessionStatusAsync(page, "cancelled");
        foreach (var node in nodes)
        {
            await ExpectNodeAsync(page, node, "cancelled");
        }

        await Expect(page.Locator("#cancel")).ToBeHiddenAsync();
        await Expect(page.Locator("#retry")).ToBeVisibleAsync();
        await ExpectConnectionAsync(page, "ended");
        await Expect(page.Locator("#event-log li[data-type='session_completed']")).ToContainTextAsync("session cancelled");
        tab.AssertNoErrors();
    }

    [Fact]
    public async Task Retry_runs_the_failed_node_again_and_the_page_follows_the_new_run()
    {
        await using var harness = await StartAsync(nodes: 3);
        harness.Agent.FailOnce["n002"] = true;
        harness.Agent.ReleaseAll();
        var nodes = harness.Vault.NodeIds.ToArray();
        var id = await harness.ConfirmAsync(("oral-explanation", nodes));
        await using var tab = await harness.OpenAsync(browser, $"#/session/{id}", width: 390, height: 844); // a phone
        var page = tab.Page;
        await ExpectSessionStatusAsync(page, "partial_failure");
        await ExpectNodeAsync(page, "n002", "failed");
        await Expect(Node(page, "n002")).ToContainTextAsync("scripted failure for n002");
        await ExpectConnectionAsync(page, "ended");
        await tab.ScreenshotAsync("dashboard-phone-failed");

        await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Retry failed nodes" }).ClickAsync();

        await ExpectSessionStatusAsync(page, "completed");
        foreach (var node in nodes)
        {
            await ExpectNodeAsync(page, node, "completed");
        }

        await Expect(page.Locator("#event-log li[data-type='session_completed']")).ToHaveCountAsync(2);
        await ExpectConnectionAsync(page, "ended");
        await Expect(page.Locator("#retry")).ToBeHiddenAsync();
        await harness.AssertShownOnceAsync(page, id, nodes);
        Assert.Equal(2, harness.Agent.Calls["n002"]);
        tab.AssertNoErrors();
    }

    [Fact]
    public async Task With_an_API_key_the_page_asks_for_it_once_and_uses_it_for_REST_and_the_socket()
    {
        const string key = "dashboard-key-0123456789";
        await using var harness = await StartAsync(nodes: 2, apiKey: key);
        harness.Agent.ReleaseAll();
        var id = await harness.ConfirmAsync(("oral-explanation", harness.Vault.NodeIds.ToArray()));
        await CanvasLearning.Tests.Api.ApiCalls.WaitForTerminalAsync(harness.Server.Client, id);
        await using var tab = await harness.OpenAsync(browser);
        var page = tab.Page;

        var dialog = page.Locator("#key-dialog");
        await Expect(dialog).ToBeVisibleAsync();
        await page.GetByRole(Microsoft.Playwright.AriaRole.Textbox, new() { Name = "Key" }).FillAsync(key);
        await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Use this key" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(page.Locator("input[name='canvas'][value='study.canvas']")).ToHaveCountAsync(1);

        await page.EvaluateAsync($"() => {{ location.hash = '#/session/{id}'; }}");
        await ExpectSessionStatusAsync(page, "completed");
        await ExpectConnectionAsync(page, "ended");
        await harness.AssertShownOnceAsync(page, id, harness.Vault.NodeIds);
        Assert.Equal(key, await page.EvaluateAsync<string>("() => sessionStorage.getItem('canvas-learning.api-key')"));
        await Expect(dialog).ToBeHiddenAsync();
        tab.AssertNoErrors();
    }
}
