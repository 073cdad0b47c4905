using System.Globalization;
using System.Text.RegularExpressions;
using CanvasLearning.Agents;
using CanvasLearning.Tests.Support;
using static CanvasLearning.Tests.Api.ApiCalls;

namespace CanvasLearning.Tests.Agents.OpenAi;

/// <summary>What an operator's Prometheus scrape of <c>GET /metrics</c> shows after a session with retries.</summary>
public sealed partial class MetricsEndpointTests
{
    [Fact]
    public async Task A_scrape_shows_the_providers_calls_retries_by_reason_tokens_and_the_websocket_counters()
    {
        await using var setup = await OpenAiSetup.StartAsync(nodes: 4);
        setup.ModelServer.Respond(call => (For(call, "n001"), For(call, "n002"), call.AttemptForPrompt) switch
        {
            (true, _, 1) => FakeReply.Status(429, retryAfter: "0", message: "FAKE rate limit"),
            (_, true, 1) => FakeReply.Status(503, message: "FAKE unavailable"),
            _ => FakeReply.Ok(promptTokens: 100, completionTokens: 50),
        });
        var id = await setup.Client.ConfirmIdAsync(ConfirmBody(setup.Vault.CanvasPath, (AgentTypes.ExampleTeaching, [.. setup.Vault.NodeIds])));
        Assert.Equal("completed", Str(await setup.Client.WaitForTerminalAsync(id), "status"));

        using var response = await setup.Client.GetPathAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);

        // Other tests' servers may run in this process and share the meter names: at least, never less.
        Assert.True(Sample(text, "canvas_learning_agent_retries_total", "reason=\"429\"") >= 1, text);
        Assert.True(Sample(text, "canvas_learning_agent_retries_total", "reason=\"503\"") >= 1, text);
        Assert.True(Sample(text, "canvas_learning_agent_calls_total", "outcome=\"succeeded\"") >= 4, text);
        Assert.True(Sample(text, "canvas_learning_agent_tokens_total", "direction=\"in\"") >= 400, text);
        Assert.True(Sample(text, "canvas_learning_agent_tokens_total", "direction=\"out\"") >= 200, text);
        Assert.Contains("canvas_learning_agent_call_duration_seconds_bucket", text, StringComparison.Ordinal);
        Assert.Contains("canvas_learning_agent_concurrency_limit", text, StringComparison.Ordinal);
        Assert.Contains("canvas_learning_ws_events_sent_total", text, StringComparison.Ordinal);
    }

    private static bool For(FakeCall call, string nodeId) =>
        call.LastUserText.Contains($"\"\"\"\n{TestVault.TextOf(nodeId)}\n\"\"\"", StringComparison.Ordinal);

    /// <summary>The sum of the samples of <paramref name="metric"/> whose labels contain <paramref name="label"/>.</summary>
    private static double Sample(string exposition, string metric, string label) =>
        SampleLine().Matches(exposition)
            .Where(m => m.Groups["name"].Value == metric && m.Groups["labels"].Value.Contains(label, StringComparison.Ordinal))
            .Sum(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)\{(?<labels>[^}]*)\} (?<value>[0-9.eE+-]+)", RegexOptions.Multiline)]
    private static partial Regex SampleLine();
}
