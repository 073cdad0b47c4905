using CanvasLearning.Agents;
using CanvasLearning.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using static CanvasLearning.Tests.Agents.OpenAi.OpenAiTestCalls;
using static CanvasLearning.Tests.Api.ApiCalls;

namespace CanvasLearning.Tests.Agents.OpenAi;

/// <summary>
/// The HTTP pipeline under awkward answers: capped Retry-After, long throttling, exhausted quota,
/// waiting for a slot, stalled bodies, answers that are not completions. Whole sessions through the
/// real provider against a FAKE chat-completions server on 127.0.0.1.
/// </summary>
public sealed class OpenAiResilienceTests
{
    [Fact]
    public async Task A_retry_after_longer_than_the_cap_is_waited_only_up_to_the_cap()
    {
        await using var setup = await StartAsync(nodes: 1, new() { ["Agents:OpenAI:MaxRetryDelaySeconds"] = "1" });
        setup.ModelServer.Respond(call => call.AttemptForPrompt == 1 ? FakeReply.Status(429, retryAfter: "60") : FakeReply.Ok());

        var session = await RunAsync(setup, ["n001"]);

        Assert.Equal("completed", Str(session, "status"));
        var calls = setup.ModelServer.Calls;
        Assert.Equal(2, calls.Count);

        // The wait the retry chose is the cap, in the provider's own words (not a wall-clock upper
        // bound, which a loaded machine can pass); and it did wait, on the clock its delay runs on.
        var retry = Assert.Single(setup.Logs.Entries, l => l.EventId == 3001);
        Assert.Contains("(429); retrying in 1000 ms", retry.Message, StringComparison.Ordinal);
        Assert.True(FakeCall.Between(calls[0], calls[1]) >= TimeSpan.FromMilliseconds(900), $"the retry came {FakeCall.Between(calls[0], calls[1]).TotalMilliseconds} ms after the 429");
    }

    [Fact]
    public async Task Throttling_longer_than_the_retry_count_is_waited_out_within_the_rate_limit_budget()
    {
        await using var setup = await StartAsync(nodes: 2, new()
        {
            ["Agents:OpenAI:MaxRetries"] = "1",
            ["Engine:MaxAttempts"] = "1",
        });
        setup.ModelServer.Respond(call => call.AttemptForPrompt <= 4 ? FakeReply.Status(429, retryAfter: "0") : FakeReply.Ok());

        var session = await RunAsync(setup, ["n001", "n002"]);

        Assert.Equal("completed", Str(session, "status"));
        Assert.Equal(10, setup.ModelServer.Calls.Count);
    }

    [Fact]
    public async Task Throttling_beyond_the_rate_limit_budget_fails_the_node_as_rate_limited()
    {
        await using var setup = await StartAsync(nodes: 1, new()
        {
            ["Agents:OpenAI:RateLimitWaitSeconds"] = "1",
            ["Agents:OpenAI:RetryDelayMilliseconds"] = "100",
            ["Engine:MaxAttempts"] = "1",
        });
        setup.ModelServer.Respond(_ => FakeReply.Status(429, message: "FAKE: too many requests"));

        var session = await RunAsync(setup, ["n001"]);

        var error = Assert.Single(NodeErrors(session));
        Assert.Equal("rate_limited", error.Type);
        Assert.Contains("FAKE: too many requests", error.Message, StringComparison.Ordinal);
        Assert.Contains("max_concurrent", error.Message, StringComparison.Ordinal);
        Assert.True(setup.ModelServer.Calls.Count >= 2);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("Wed, 21 Oct 2015 07:28:00 GMT")]
    public async Task A_retry_after_of_zero_or_in_the_past_backs_off_instead_of_retrying_in_a_tight_loop(string retryAfter)
    {
        await using var setup = await StartAsync(nodes: 1, new()
        {
            ["Agents:OpenAI:RateLimitWaitSeconds"] = "2",
            ["Agents:OpenAI:RetryDelayMilliseconds"] = "200",
            ["Agents:OpenAI:MaxRetryDelaySeconds"] = "1",
            ["Engine:MaxAttempts"] = "1",
        });
        setup.ModelServer.Respond(_ => FakeReply.Status(429, retryAfter: retryAfter));

        var session = await RunAsync(setup, ["n001"]);

        Assert.Equal("rate_limited", Assert.Single(NodeErrors(session)).Type);
        Assert.InRange(setup.ModelServer.Calls.Count, 2, 20);
    }

    [Fact]
    public async Task Retries_of_server_errors_are_counted_apart_from_429s()
    {
        await using var setup = await StartAsync(nodes: 1, new()
        {
            ["Agents:OpenAI:MaxRetries"] = "1",
            ["Engine:MaxAttempts"] = "1",
        });
        setup.ModelServer.Respond(call => call.AttemptForPrompt switch
        {
            <= 3 => FakeReply.Status(429),
            4 => FakeReply.Status(503),
            _ => FakeReply.Ok(),
        });

        var session = await RunAsync(setup, ["n001"]);

        Assert.Equal("completed", Str(session, "status"));
        Assert.Equal(5, setup.ModelServer.Calls.Count);
    }

    [Fact]
    public async Task A_429_for_an_exhausted_quota_fails_at_once_as_quota_exceeded()
    {
        await using var setup = await StartAsync(nodes: 1);
        setup.ModelServer.Respond(_ => FakeReply.Raw(429,
            """{"error":{"message":"You exceeded your current quota, please check your plan and billing details.","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}"""));

        var session = await RunAsync(setup, ["n001"]);

        var error = Assert.Single(NodeErrors(session));
        Assert.Equal("quota_exceeded", error.Type);
        Assert.Contains("You exceeded your current quota", error.Message, StringComparison.Ordinal);
        Assert.Single(setup.ModelServer.Calls);
    }

    [Fact]
    public async Task Waiting_for_a_slot_does_not_count_against_the_attempt_timeout()
    {
        // The server's clock is a fake, so each attempt lasts exactly as long as the test moves it:
        // 1.5 s each, within the 2 s attempt timeout, however long the machine takes in real time.
        var time = new FakeTimeProvider();
        await using var setup = await StartAsync(nodes: 3, new()
        {
            ["Agents:OpenAI:MaxConcurrentCalls"] = "1",
            ["Agents:OpenAI:AttemptTimeoutSeconds"] = "2",
            ["Agents:OpenAI:MaxRetries"] = "0",
            ["Engine:MaxAttempts"] = "1",
        }, time);
        var answers = Enumerable.Range(0, 3).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        setup.ModelServer.Respond(call => FakeReply.Held(answers[call.Index].Task, FakeReply.Ok()));
        var id = await setup.Client.ConfirmIdAsync(ConfirmBody(setup.Vault.CanvasPath, (AgentTypes.OralExplanation, ["n001", "n002", "n003"])));

        // The first call in flight, the other two waiting for its slot; the last waits 3 s in all,
        // past the attempt timeout if waiting counted.
        await setup.ModelServer.WaitForCallsAsync(1, Patience);
        await WaitUntilAsync(() => setup.Gate.Waiting == 2);
        for (var i = 0; i < answers.Length; i++)
        {
            await setup.ModelServer.WaitForCallsAsync(i + 1, Patience);
            time.Advance(TimeSpan.FromSeconds(1.5));
            answers[i].SetResult();
        }

        var session = await setup.Client.WaitForTerminalAsync(id);
        Assert.Equal("completed", Str(session, "status"));
        Assert.Equal(3, setup.ModelServer.Calls.Count);
        Assert.Equal(1, setup.ModelServer.MaxInFlight);
    }

    [Fact]
    public async Task A_body_that_stalls_after_the_headers_is_a_timed_out_attempt_and_is_retried()
    {
        // On the server's fake clock the stalled attempt times out when the test moves the clock
        // past the attempt timeout; the retry then has all the time it needs (the clock stays put),
        // where a real 1 s timeout could also cut a retry slowed down by a loaded machine.
        var time = new FakeTimeProvider();
        await using var setup = await StartAsync(nodes: 1, new()
        {
            ["Agents:OpenAI:AttemptTimeoutSeconds"] = "60",
            ["Agents:OpenAI:MaxRetries"] = "1",
            ["Agents:OpenAI:RetryDelayMilliseconds"] = "0",
            ["Engine:MaxAttempts"] = "1",
        }, time);
        setup.ModelServer.Respond(call => call.AttemptForPrompt == 1 ? FakeReply.StalledBody(TimeSpan.FromHours(1)) : FakeReply.Ok());
        var id = await setup.Client.ConfirmIdAsync(ConfirmBody(setup.Vault.CanvasPath, (AgentTypes.OralExplanation, ["n001"])));
        await setup.ModelServer.WaitForCallsAsync(1, Patience);

        time.Advance(TimeSpan.FromSeconds(60));

        var session = await setup.Client.WaitForTerminalAsync(id);

        Assert.Equal("completed", Str(session, "status"));
        Assert.Equal(2, setup.ModelServer.Calls.Count);
        Assert.Contains(setup.Logs.Entries, l => l.EventId == 3001 && l.Message.Contains("(timeout)", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("\"just a string\"")]
    [InlineData("{\"choices\":[{\"index\":0,\"message\":null}]}")]
    public async Task An_answer_that_is_not_a_completion_fails_only_that_node_and_the_session_goes_on(string body)
    {
        await using var setup = await StartAsync(nodes: 3, new() { ["Engine:MaxAttempts"] = "1" });
        var bad = TestVault.TextOf("n002");
        setup.ModelServer.Respond(call => call.LastUserText.Contains($"\"\"\"\n{bad}\n\"\"\"", StringComparison.Ordinal) ? FakeReply.Raw(200, body) : FakeReply.Ok());

        var session = await RunAsync(setup, ["n001", "n002", "n003"]);

        Assert.Equal("partial_failure", Str(session, "status"));
        Assert.Equal(2, session["completed_nodes"]!.GetValue<int>());
        var error = Assert.Single(NodeErrors(session));
        Assert.Equal("n002", error.NodeId);
        Assert.Contains(error.Type, new[] { "invalid_response", "internal_error" });
    }

    [Theory]
    [InlineData(null, "max_tokens")]
    [InlineData("max_tokens", "max_tokens")]
    [InlineData("max_completion_tokens", "max_completion_tokens")]
    public async Task The_token_limit_goes_in_the_field_the_server_reads(string? setting, string field)
    {
        await using var setup = await StartAsync(nodes: 1, new()
        {
            ["Agents:OpenAI:MaxTokensParameter"] = setting,
            ["Agents:OpenAI:MaxTokens"] = "777",
        });

        await RunAsync(setup, ["n001"]);

        var call = Assert.Single(setup.ModelServer.Calls);
        Assert.Equal(field, call.MaxTokensField);
        Assert.Equal(777, call.MaxTokens);
    }

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"condition not met within {Patience.TotalSeconds} s");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task A_403_says_why_in_the_providers_words_without_repeating_a_key_it_quotes()
    {
        await using var setup = await StartAsync(nodes: 1);
        setup.ModelServer.Respond(_ => FakeReply.Status(403, message: "FAKE: key sk-proj-abcdef0123456789 has no access to model fake-model-1"));

        var session = await RunAsync(setup, ["n001"]);

        var error = Assert.Single(NodeErrors(session));
        Assert.Equal("auth", error.Type);
        Assert.Contains("has no access to model", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("abcdef0123456789", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(setup.Logs.Entries, l => l.Message.Contains("abcdef0123456789", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Retries_are_logged_once_by_the_provider_not_again_by_polly()
    {
        await using var setup = await StartAsync(nodes: 1);
        setup.ModelServer.Respond(call => call.AttemptForPrompt == 1 ? FakeReply.Status(500) : FakeReply.Ok());

        await RunAsync(setup, ["n001"]);

        Assert.Single(setup.Logs.Entries, l => l.EventId == 3001);
        Assert.DoesNotContain(setup.Logs.Entries, l => l.Category.StartsWith("Polly", StringComparison.Ordinal));
    }
}
