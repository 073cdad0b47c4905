using System.Text.RegularExpressions;
using CanvasLearning.Tests.Api;
using static CanvasLearning.Tests.Dashboard.DashboardHarness;
using static Microsoft.Playwright.Assertions;

namespace CanvasLearning.Tests.Dashboard;

/// <summary>The dashboard in Chromium: a batch from picking the canvas to its results, and the list of past sessions.</summary>
[Collection(BrowserTests.Name)]
public sealed partial class DashboardBatchTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_whole_batch_from_picking_the_canvas_to_reading_a_result()
    {
        await using var harness = await StartAsync(nodes: 6);
        harness.WriteStudyCanvas();
        await using var tab = await harness.OpenAsync(browser);
        var page = tab.Page;

        await page.Locator("input[name='canvas'][value='study.canvas']").CheckAsync();
        await Expect(page.Locator("#color")).ToHaveValueAsync("3");
        await Expect(page.Locator("#color option[value='3']")).ToHaveTextAsync("3 · yellow (6)");
        await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Analyze" }).ClickAsync();

        var groups = page.Locator("fieldset.group");
        await Expect(groups.First).ToBeVisibleAsync();
        await Expect(page.Locator("input.node")).ToHaveCountAsync(6);
        var firstGroup = await groups.First.GetAttributeAsync("data-group-id");
        await groups.First.Locator("select.agent").SelectOptionAsync("memory-anchor");
        await page.Locator("input.node[data-node-id='n006']").UncheckAsync();
        await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Start the batch" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(SessionUrl());
        var sessionId = SessionUrl().Match(page.Url).Groups[1].Value;
        var kept = harness.Vault.NodeIds.Take(5).ToArray();
        await harness.Agent.WaitForStartsAsync(5);
        foreach (var id in kept)
        {
            await ExpectNodeAsync(page, id, "running");
        }

        await ExpectConnectionAsync(page, "live");
        var confirmed = await harness.Server.Client.GetSessionAsync(sessionId);
        Assert.Equal(5, ApiCalls.Int(confirmed, "total_nodes"));
        Assert.Equal("memory-anchor", confirmed["groups"]!.AsArray().Single(g => g!["group_id"]!.GetValue<string>() == firstGroup)!["agent_type"]!.GetValue<string>());

        harness.Agent.Release("n001", "n002");
        await ExpectNodeAsync(page, "n001", "completed");
        await ExpectNodeAsync(page, "n002", "completed");
        await Expect(page.Locator("#fact-done")).ToHaveTextAsync("2 of 5");
        await Expect(page.Locator("#fact-left")).ToHaveTextAsync(new Regex("^about "));
        await tab.ScreenshotAsync("dashboard-running");

        harness.Agent.ReleaseAll();
        await ExpectSessionStatusAsync(page, "completed");
        foreach (var id in kept)
        {
            await ExpectNodeAsync(page, id, "completed");
        }

        await ExpectConnectionAsync(page, "ended");
        await Expect(page.Locator(".bar.big")).ToHaveAttributeAsync("aria-valuenow", "100");
        var groupCounts = await page.Locator(".group .group-counts").AllTextContentsAsync();
        Assert.All(groupCounts, text => Assert.Matches(GroupDone(), text));
        Assert.Equal(5, groupCounts.Sum(text => int.Parse(GroupDone().Match(text).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(0, await Node(page, "n006").CountAsync());
        await harness.AssertShownOnceAsync(page, sessionId, kept);

        await Node(page, "n001").GetByRole(Microsoft.Playwright.AriaRole.Link, new() { Name = "Open result" }).ClickAsync();
        var note = page.Locator("#note-body");
        await Expect(note).ToContainTextAsync(HeldAgent.Marker);
        await Expect(note.Locator("table")).ToHaveCountAsync(1);
        Assert.Equal(0, await note.Locator("script, img, [onerror]").CountAsync());
        await Expect(note.Locator("a[href='https://example.invalid/picture.png']")).ToHaveCountAsync(1);
        Assert.False(await page.EvaluateAsync<bool>("() => window.__ran === true"), "the note's script or handler ran");
        Assert.Contains("note=", page.Url, StringComparison.Ordinal);
        await tab.ScreenshotAsync("dashboard-finished");
        tab.AssertNoErrors();
    }

    [Fact]
    public async Task Past_sessions_are_listed_newest_first_a_page_at_a_time_and_each_opens_by_its_link()
    {
        await using var harness = await StartAsync(nodes: 3);
        harness.Agent.ReleaseAll();
        var ids = new List<string>();
        foreach (var node in harness.Vault.NodeIds)
        {
            var id = await harness.ConfirmAsync(("oral-explanation", [node]));
            await harness.Server.Client.WaitForTerminalAsync(id);
            ids.Add(id);
        }

        await using var tab = await harness.OpenAsync(browser, "#/sessions?size=2");
        var page = tab.Page;
        var rows = page.Locator("#session-rows tr[data-session-id]");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(page.Locator("#page-info")).ToHaveTextAsync("page 1 of 2 · 3 sessions");
        await Expect(page.Locator("#prev-page")).ToBeDisabledAsync();
        await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Older" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToHaveAttributeAsync("data-session-id", ids[0]);
        await Expect(page.Locator("#next-page")).ToBeDisabledAsync();

        await rows.First.GetByRole(Microsoft.Playwright.AriaRole.Link).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"#/session/{ids[0]}$"));
        await ExpectSessionStatusAsync(page, "completed");
        await ExpectNodeAsync(page, harness.Vault.NodeIds[0], "completed");
        await ExpectConnectionAsync(page, "ended");
        tab.AssertNoErrors();
    }

    [GeneratedRegex("^(\\d+) done, 0 failed of \\1$")]
    private static partial Regex GroupDone();

    [GeneratedRegex("#/session/([A-Za-z0-9_-]+)")]
    private static partial Regex SessionUrl();
}
