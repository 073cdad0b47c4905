using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CanvasLearning.Agents;
using CanvasLearning.Tests.Api;
using CanvasLearning.Tests.Support;
using Microsoft.Extensions.Logging;
using static CanvasLearning.Tests.Agents.OpenAi.OpenAiTestCalls;
using static CanvasLearning.Tests.Api.ApiCalls;

namespace CanvasLearning.Tests.Agents.OpenAi;

/// <summary>
/// What a learner sees when the model endpoint misbehaves: whole sessions through the real
/// OpenAI-compatible provider against a FAKE chat-completions server on 127.0.0.1, asserting the
/// session's status, each node's error_type and error_message, and how many calls the fake received.
/// </summary>
public sealed class OpenAiFailureTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    public async Task A_refused_key_fails_each_node_as_auth_after_one_call_naming_the_key_variable(int status)
    {
        await using var setup = await StartAsync(nodes: 2);
        setup.ModelServer.Respond(_ => FakeReply.Status(status));

        var session = await RunAsync(setup, ["n001", "n002"]);

        Assert.Equal("failed", Str(session, "status"));
        var errors = NodeErrors(session);
        Assert.Equal(["n001", "n002"], errors.Select(e => e.NodeId).Order(StringComparer.Ordinal));
        Assert.All(errors, e => Assert.Equal("auth", e.Type));
        Assert.All(errors, e => Assert.Contains(setup.KeyVariable, e.Message, StringComparison.Ordinal));
        Assert.All(errors, e => Assert.Contains(Text(status), e.Message, StringComparison.Ordinal));
        // Not retried by the HTTP pipeline nor by the engine: one call per node.
        Assert.Equal(2, setup.ModelServer.Calls.Count);
        Assert.All(setup.ModelServer.Calls, c => Assert.Equal(1, c.AttemptForPrompt));
        Assert.Equal(0, setup.Metrics.Retries);
    }

    [Fact]
    public async Task A_404_fails_each_node_as_bad_request_after_one_call_naming_the_model_and_the_base_url()
    {
        await using var setup = await StartAsync(nodes: 2);
        setup.ModelServer.Respond(_ => FakeReply.Status(404, message: "The model `fake-model-1` does not exist"));

        var session = await RunAsync(setup, ["n001", "n002"]);

        Assert.Equal("failed", Str(session, "status"));
        var errors = NodeErrors(session);
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.Equal("bad_request", e.Type));
        Assert.All(errors, e => Assert.Contains(OpenAiSetup.Model, e.Message, StringComparison.Ordinal));
        Assert.All(errors, e => Assert.Contains(setup.ModelServer.BaseUrl.ToString(), e.Message, StringComparison.Ordinal));
        Assert.All(errors, e => Assert.Contains("BaseUrl", e.Message, StringComparison.Ordinal));
        Assert.Equal(2, setup.ModelServer.Calls.Count);
        Assert.Equal(0, setup.Metrics.Retries);
    }

    [Fact]
    public async Task A_400_fails_the_node_as_bad_request_after_one_call()
    {
        await using var setup = await StartAsync(nodes: 1);
        setup.ModelServer.Respond(_ => FakeReply.Status(400, message: "FAKE: 'max_tokens' is too large for this model"));

        var session = await RunAsync(setup, ["n001"]);

        Assert.Equal("failed", Str(session, "status"));
        var error = Assert.Single(NodeErrors(session));
        Assert.Equal("bad_request", error.Type);
        Assert.Contains("400", error.Message, StringComparison.Ordinal);
        Assert.Contains(setup.ModelServer.BaseUrl.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Single(setup.ModelServer.Calls);
        Assert.Equal(0, setup.Metrics.Retries);
    }

    /// <summary>
    /// The provider's own reason (its error body's message) reaches the node's error, not only the
    /// status line, so the learner reads why the request was refused.
    /// </summary>
    [Theory]
    [InlineData(400)]
    [InlineData(422)]
    [InlineData(500)]
    public async Task An_error_message_carries_the_providers_reason(int status)
    {
        const string reason = "FAKE: 'max_tokens' is too large for this model";
        await using var setup = await StartAsync(nodes: 1, new()
        {
            ["Agents:OpenAI:MaxRetries"] = "0",
            ["Engine:MaxAttempts"] = "1",
        });
        setup.ModelServer.Respond(_ => FakeReply.Status(status, message: reason));

        var session = await RunAsync(setup, ["n001"]);

        // The provider said what is wrong; the learner should read it without opening the server's logs.
        var error = Assert.Single(NodeErrors(session));
        Assert.Equal(status >= 500 ? "provider_unavailable" : "bad_request", error.Type);
        Assert.True(error.Message.Contains(reason, StringComparison.Ordinal), $"the provider's reason is missing from: {error.Message}");
    }

    [Fact]
    public async Task A_500_every_time_is_retried_by_the_pipeline_and_the_engine_then_fails_as_provider_unavailable()
    {
        await using var setup = await StartAsync(nodes: 1, new()
        {
            ["Agents:OpenAI:MaxRetries"] = "2",
            ["Engine:MaxAttempts"] = "2",
        });
        setup.ModelServer.Respond(_ => FakeReply.Status(500));

        var session = await RunAsync(setup, ["n001"]);

        Assert.Equal("failed", Str(session, "status"));
        var error = Assert.Single(NodeErrors(session));
        Assert.Equal("provider_unavailable", error.Type);
        Assert.Contains("500", error.Message, StringComparison.Ordinal);
        Assert.Contains(setup.ModelServer.BaseUrl.ToString(), error.Message, StringComparison.Ordinal);
        // (MaxRetries + 1) HTTP attempts per engine attempt, MaxAttempts engine attempts.
        Assert.Equal((2 + 1) * 2, setup.ModelServer.Calls.Count);
        Assert.Equal(2 * 2, setup.Metrics.Retries);
    }

    [Fact]
    public async Task A_500_once_is_retried_the_node_succeeds_and_the_retry_is_logged_and_counted()
    {
        await using var setup = await StartAsync(nodes: 2);
        setup.ModelServer.Respond(c => c.AttemptForPrompt == 1 ? FakeReply.Status(500) : FakeReply.Ok());

        var session = await RunAsync(setup, ["n001", "n002"]);

        Assert.Equal("completed", Str(session, "status"));
        Assert.Empty(NodeErrors(session));
        Assert.Equal(4, setup.ModelServer.Calls.Count);
        Assert.Equal(2, setup.Metrics.Retries);
        var retries = setup.Logs.Entries.Where(l => l.EventId == 3001).ToList();
        Assert.Equal(2, retries.Count);
        Assert.All(retries, l => Assert.Equal(LogLevel.Warning, l.Level));
        Assert.All(retries, l => Assert.Contains("500", l.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_429_with_retry_after_is_retried_no_sooner_than_asked_and_the_node_succeeds()
    {
        await using var setup = await StartAsync(nodes: 2);
        setup.ModelServer.Respond(c => c.AttemptForPrompt == 1 ? FakeReply.Status(429, retryAfter: "1") : FakeReply.Ok());

        var session = await RunAsync(setup, ["n001", "n002"]);

        Assert.Equal("completed", Str(session, "status"));
        var calls = setup.ModelServer.Calls;
        Assert.Equal(4, calls.Count);
        foreach (var prompt in calls.GroupBy(c => c.LastUserText, StringComparer.Ordinal))
        {
            var (first, second) = (prompt.Single(c => c.AttemptForPrompt == 1), prompt.Single(c => c.AttemptForPrompt == 2));
            var waited = FakeCall.Between(first, second);
            Assert.True(waited >= TimeSpan.FromMilliseconds(950), $"the retry came {waited.TotalMilliseconds} ms after the 429 that asked for 1 s");
        }

        Assert.Equal(2, setup.Metrics.RateLimitedResponses);
    }

    [Fact]
    public async Task A_model_that_never_answers_fails_the_node_as_timeout_and_the_request_is_aborted()
    {
        await using var setup = await StartAsync(nodes: 1, new()
        {
            ["Agents:OpenAI:AttemptTimeoutSeconds"] = "1",
            ["Agents:OpenAI:MaxRetries"] = "0",
            ["Engine:MaxAttempts"] = "1",
        });
        setup.ModelServer.Respond(_ => FakeReply.Hang());

        var session = await RunAsync(setup, ["n001"]);

        Assert.Equal("failed", Str(session, "status"));
        var error = Assert.Single(NodeErrors(session));
        Assert.Equal("timeout", error.Type);
        Assert.Contains("AttemptTimeoutSeconds", error.Message, StringComparison.Ordinal);
        Assert.Single(setup.ModelServer.Calls);
        await WaitUntilAsync(() => setup.ModelServer.Aborted >= 1, "the fake to see the hung request aborted");
    }

    [Theory]
    [InlineData("malformed_json")]
    [InlineData("empty_choices")]
    [InlineData("empty_text")]
    public async Task An_answer_that_is_not_a_usable_completion_fails_the_node_as_invalid_response(string kind)
    {
        await using var setup = await StartAsync(nodes: 1, new() { ["Engine:MaxAttempts"] = "2" });
        setup.ModelServer.Respond(_ => kind switch
        {
            "malformed_json" => FakeReply.MalformedJson(),
            "empty_choices" => FakeReply.EmptyChoices(),
            _ => FakeReply.Ok(""),
        });

        var session = await RunAsync(setup, ["n001"]);

        Assert.Equal("failed", Str(session, "status"));
        var error = Assert.Single(NodeErrors(session));
        Assert.Equal("invalid_response", error.Type);
        Assert.True(
            error.Message.Contains(OpenAiSetup.Model, StringComparison.Ordinal) || error.Message.Contains(setup.ModelServer.BaseUrl.ToString(), StringComparison.Ordinal),
            $"the message names neither the model nor the endpoint: {error.Message}");
        // A 200 is not retried by the pipeline; the engine tries a transient failure again.
        Assert.Equal(2, setup.ModelServer.Calls.Count);
        Assert.Equal(0, setup.Metrics.Retries);
    }

    [Fact]
    public async Task A_closed_port_fails_the_node_as_provider_unavailable_saying_it_cannot_reach_the_url()
    {
        var closed = ClosedLoopbackUrl();
        await using var setup = await StartAsync(nodes: 1, new()
        {
            ["Agents:OpenAI:BaseUrl"] = closed,
            ["Agents:OpenAI:MaxRetries"] = "1",
            ["Engine:MaxAttempts"] = "1",
        });

        var session = await RunAsync(setup, ["n001"]);

        Assert.Equal("failed", Str(session, "status"));
        var error = Assert.Single(NodeErrors(session));
        Assert.Equal("provider_unavailable", error.Type);
        Assert.Contains("cannot reach", error.Message, StringComparison.Ordinal);
        Assert.Contains(closed, error.Message, StringComparison.Ordinal);
        Assert.Equal(1, setup.Metrics.Retries);
        Assert.Empty(setup.ModelServer.Calls);
    }

    [Fact]
    public async Task Cancelling_a_session_aborts_its_calls_in_flight_to_the_model()
    {
        // Nothing but the cancel can end these requests within the test: the model never answers
        // and the attempt and node timeouts are an hour.
        await using var setup = await StartAsync(nodes: 3, new()
        {
            ["Agents:OpenAI:AttemptTimeoutSeconds"] = "3600",
            ["Engine:NodeTimeoutSeconds"] = "3600",
        });
        setup.ModelServer.Respond(_ => FakeReply.Hang());
        var body = ConfirmBody(setup.Vault.CanvasPath, (AgentTypes.OralExplanation, ["n001", "n002", "n003"]));
        body["max_concurrent"] = 3;
        var id = await setup.Client.ConfirmIdAsync(body);
        await WaitUntilAsync(() => setup.ModelServer.InFlight == 3, "3 calls in flight at the fake");

        using (var cancel = await setup.Client.PostRawAsync($"{Base}/cancel/{id}", ""))
        {
            Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        }

        var session = await setup.Client.WaitForTerminalAsync(id);
        Assert.Equal("cancelled", Str(session, "status"));
        await WaitUntilAsync(() => setup.ModelServer.Aborted == 3, "the fake to see all 3 requests aborted");
        Assert.Equal(0, setup.ModelServer.InFlight);
        Assert.Equal(3, setup.ModelServer.Calls.Count);
    }

    [Fact]
    public async Task The_api_key_appears_neither_in_the_logs_nor_in_the_session_nor_in_the_vault()
    {
        await using var setup = await StartAsync(nodes: 3, new() { ["Logging:LogLevel:Default"] = "Trace" });
        setup.ModelServer.Respond(c =>
            IsFor(c, TestVault.TextOf("n002")) ? FakeReply.Status(401)
            : IsFor(c, TestVault.TextOf("n003")) && c.AttemptForPrompt == 1 ? FakeReply.Status(500)
            : FakeReply.Ok());

        var session = await RunAsync(setup, ["n001", "n002", "n003"]);

        Assert.Equal("partial_failure", Str(session, "status"));
        // The key did travel, where it should: in the Authorization header.
        Assert.All(setup.ModelServer.Calls, c => Assert.Equal($"Bearer {setup.Key}", c.Authorization));
        Assert.NotEmpty(setup.Logs.Entries);
        Assert.DoesNotContain(setup.Logs.Entries, l => l.Message.Contains(setup.Key, StringComparison.Ordinal));
        Assert.DoesNotContain(setup.Key, session.ToJsonString(), StringComparison.Ordinal);
        using (var list = await setup.Client.GetPathAsync($"{Base}?page_size=100"))
        {
            Assert.DoesNotContain(setup.Key, await list.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Notes, the canvas and the session store: no file in the vault holds the key.
        var files = Directory.EnumerateFiles(setup.Vault.Root, "*", SearchOption.AllDirectories).ToList();
        Assert.Contains(files, f => f.EndsWith(".md", StringComparison.Ordinal));
        var key = Encoding.UTF8.GetBytes(setup.Key);
        foreach (var file in files)
        {
            var bytes = await ReadSharedAsync(file);
            Assert.True(bytes.AsSpan().IndexOf(key) < 0, $"{file} holds the API key");
        }
    }

    /// <summary>True when the call explains this concept (not merely lists it as context).</summary>
    private static bool IsFor(FakeCall call, string conceptText) =>
        call.LastUserText.Contains($"\"\"\"\n{conceptText}\n\"\"\"", StringComparison.Ordinal);

    /// <summary>An http://127.0.0.1:PORT/v1/ URL where nothing listens: a port the OS gave out, then freed.</summary>
    private static string ClosedLoopbackUrl()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{TestServer.Text(port)}/v1/";
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < Bound, $"waited {Bound.TotalSeconds} s for {what}");
            await Task.Delay(10);
        }
    }

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    private static string Text(int value) => TestServer.Text(value);
}
