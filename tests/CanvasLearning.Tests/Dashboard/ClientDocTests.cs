using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CanvasLearning.Tests.Dashboard;

/// <summary>
/// The example of docs/clients.md, taken from the Markdown file as it is, runs in Chromium from a
/// page of another origin (a second server on another loopback port) against the service with an
/// API key, survives a cut socket and follows the session to its end.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed partial class ClientDocTests(BrowserFixture browser)
{
    private const string Key = "client-doc-key-0123456789";

    private const string Page = """
        <!doctype html><meta charset="utf-8"><title>client example</title>
        <script type="module">
          import { followSession } from "./follow-session.js";
          const q = new URLSearchParams(location.search);
          window.events = []; window.states = [];
          followSession({ baseUrl: q.get("base"), sessionId: q.get("session"), apiKey: q.get("key"),
            onEvent: (frame) => window.events.push(frame), onState: (state) => window.states.push(state) })
            .then((final) => { window.final = final; }, (err) => { window.failure = String(err); });
        </script>
        """;

    [Fact]
    public async Task The_client_example_in_the_docs_follows_a_session_to_session_completed_from_another_origin()
    {
        var example = ExtractExample();
        var cutter = new SocketCutter();
        await using var harness = await DashboardHarness.StartAsync(nodes: 4, apiKey: Key, settings: SocketRefusal.Settings, configure: s => s.AddSingleton<IStartupFilter>(cutter));
        await using var origin = await StartOriginAsync(example);
        var nodes = harness.Vault.NodeIds.ToArray();
        var id = await harness.ConfirmAsync(("oral-explanation", nodes[..2]), ("memory-anchor", nodes[2..]));

        var server = harness.Server.BaseAddress.ToString().TrimEnd('/');
        var query = $"?base={Uri.EscapeDataString(server)}&session={id}&key={Key}";
        await using var tab = await BrowserPage.OpenAsync(browser, origin.Address, "index.html" + query);
        Assert.NotEqual(new Uri(server).Port, origin.Address.Port);
        await harness.Agent.WaitForStartsAsync(4);
        await tab.Page.WaitForFunctionAsync("() => window.states.includes('live')");
        harness.Agent.Release("n001");
        await tab.Page.WaitForFunctionAsync("() => window.events.some(e => e.type === 'task_completed')");

        Assert.True(cutter.Cut() > 0, "no socket to cut");
        harness.Agent.Release("n002");
        await tab.Page.WaitForFunctionAsync("() => window.states.filter(s => s === 'live').length >= 2");
        harness.Agent.ReleaseAll();
        await tab.Page.WaitForFunctionAsync("() => window.final !== undefined || window.failure !== undefined");

        Assert.Null(await tab.Page.EvaluateAsync<string?>("() => window.failure ?? null"));
        var final = JsonNode.Parse(await tab.Page.EvaluateAsync<string>("() => JSON.stringify(window.final)"))!;
        Assert.Equal("completed", final["status"]!.GetValue<string>());
        Assert.Equal(4, final["completed_nodes"]!.GetValue<int>());
        var events = JsonNode.Parse(await tab.Page.EvaluateAsync<string>("() => JSON.stringify(window.events)"))!.AsArray();
        var seqs = events.Select(e => e!["seq"]!.GetValue<long>()).ToList();
        Assert.Equal(Enumerable.Range(1, (int)final["last_seq"]!.GetValue<long>()).Select(i => (long)i), seqs);
        Assert.Equal("session_completed", events[^1]!["type"]!.GetValue<string>());
        Assert.Equal(4, events.Count(e => e!["type"]!.GetValue<string>() == "task_completed"));
        tab.AssertNoErrors(socketRefusals: true);
    }

    /// <summary>The code block that follows the example marker of docs/clients.md, as it is written there.</summary>
    private static string ExtractExample()
    {
        var markdown = File.ReadAllText(Path.Combine(Artifacts.RepositoryRoot(), "docs", "clients.md"));
        var match = ExampleBlock().Match(markdown);
        Assert.True(match.Success, "docs/clients.md has no ```js block after '<!-- example: follow-session.js'");
        return match.Groups[1].Value;
    }

    /// <summary>A second, tiny web server on another loopback port: the page's origin.</summary>
    private static async Task<Origin> StartOriginAsync(string example)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/index.html", () => Results.Text(Page, "text/html; charset=utf-8"));
        app.MapGet("/follow-session.js", () => Results.Text(example, "text/javascript; charset=utf-8"));
        app.MapGet("/favicon.ico", () => Results.NoContent());
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Origin(app, new Uri(address));
    }

    [GeneratedRegex(@"<!-- example: follow-session\.js[^>]*-->\s*```js\n(.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex ExampleBlock();

    private sealed class Origin(WebApplication app, Uri address) : IAsyncDisposable
    {
        public Uri Address { get; } = address;

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
