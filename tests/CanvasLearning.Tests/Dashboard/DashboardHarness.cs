using System.Net.Http.Headers;
using CanvasLearning.Agents;
using CanvasLearning.Tests.Api;
using CanvasLearning.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CanvasLearning.Tests.Dashboard;

/// <summary>A real server on 127.0.0.1 over a fresh vault with the <see cref="HeldAgent"/>, and helpers to drive and read the dashboard.</summary>
internal sealed class DashboardHarness : IAsyncDisposable
{
    private DashboardHarness(TestVault vault, HeldAgent agent, TestServer server)
    {
        Vault = vault;
        Agent = agent;
        Server = server;
    }

    public TestVault Vault { get; }

    public HeldAgent Agent { get; }

    public TestServer Server { get; }

    public static async Task<DashboardHarness> StartAsync(int nodes = 6, Dictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null, string? apiKey = null)
    {
        var vault = new TestVault(nodes);
        var agent = new HeldAgent();
        var all = new Dictionary<string, string?>(settings ?? []) { ["Agents:Provider"] = HeldAgent.ProviderName };
        if (apiKey is not null)
        {
            all["Security:ApiKey"] = apiKey;
        }

        var server = await TestServer.StartAsync(vault, settings: all, useOfflineAgent: true, configure: services =>
        {
            services.AddSingleton<IAgentProvider>(agent);
            configure?.Invoke(services);
        });
        if (apiKey is not null)
        {
            server.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return new DashboardHarness(vault, agent, server);
    }

    /// <summary>
    /// Gives the vault's canvas real study questions (ids n001..n006 as before, color "3"), so the
    /// analysis finds topics and picks different agents, as it would on a learner's canvas.
    /// </summary>
    public void WriteStudyCanvas()
    {
        string[] texts =
        [
            "Contrapositive vs converse: what is the difference?",
            "Converse vs inverse of an implication: compare them",
            "Injective vs surjective functions: the difference",
            "What is a bijection?",
            "What is a power set?",
            "What is mathematical induction?",
        ];
        var nodes = texts.Select((text, i) =>
            $$"""{"id":"n{{i + 1:000}}","type":"text","text":"{{text}}","x":{{i % 3 * 400}},"y":{{i / 3 * 300}},"width":300,"height":120,"color":"3"}""");
        File.WriteAllText(Vault.CanvasFullPath, $$"""{"nodes":[{{string.Join(",", nodes)}},{"id":"note","type":"text","text":"not marked","x":0,"y":-400,"width":300,"height":120}],"edges":[]}""");
    }

    /// <summary>Starts a session over REST with one group per entry (g1, g2, ...).</summary>
    public Task<string> ConfirmAsync(params (string AgentType, string[] NodeIds)[] groups) =>
        Server.Client.ConfirmIdAsync(ApiCalls.ConfirmBody(Vault.CanvasPath, groups));

    public Task<BrowserPage> OpenAsync(BrowserFixture browser, string hash = "", int width = 1280, int height = 900) =>
        BrowserPage.OpenAsync(browser, Server.BaseAddress, hash, width, height);

    public static ILocator Node(IPage page, string nodeId) => page.Locator($"li[data-node-id='{nodeId}']");

    public static Task ExpectNodeAsync(IPage page, string nodeId, string status) =>
        Expect(Node(page, nodeId)).ToHaveAttributeAsync("data-status", status);

    public static Task ExpectSessionStatusAsync(IPage page, string status) =>
        Expect(page.Locator("#session-status")).ToHaveTextAsync(status);

    public static Task ExpectConnectionAsync(IPage page, string state) =>
        Expect(page.Locator("#connection")).ToHaveAttributeAsync("data-state", state);

    /// <summary>
    /// Each node of the session is shown exactly once, and the event log holds every seq from 1 to
    /// the session's last_seq exactly once: nothing missed, nothing twice.
    /// </summary>
    public async Task AssertShownOnceAsync(IPage page, string sessionId, IEnumerable<string> nodeIds)
    {
        foreach (var id in nodeIds)
        {
            Assert.Equal(1, await Node(page, id).CountAsync());
        }

        var polled = await Server.Client.GetSessionAsync(sessionId);
        var lastSeq = polled["last_seq"]!.GetValue<long>();
        var seqs = (await page.Locator("#event-log li[data-seq]").EvaluateAllAsync<long[]>("items => items.map(li => Number(li.dataset.seq))"))
            .Order().ToList();
        Assert.Equal(Enumerable.Range(1, (int)lastSeq).Select(i => (long)i), seqs);
    }

    public async ValueTask DisposeAsync()
    {
        Agent.ReleaseAll();
        await Server.DisposeAsync();
        Vault.Dispose();
    }
}
