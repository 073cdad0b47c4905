using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CanvasLearning.Tests.Support;

namespace CanvasLearning.Tests.Agents;

/// <summary>The fake OpenAI server answers the way the chat-completions protocol says, through plain HTTP.</summary>
public sealed class FakeOpenAiServerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Ok_answers_a_chat_completion_that_echoes_the_model_and_counts_usage()
    {
        await using var fake = await FakeOpenAiServer.StartAsync();
        using var http = Client(fake);
        const string SystemText = "You explain concepts.";
        const string UserText = "Explain this.\n<<concept>>\nBinary search tree\nKeep it short.";
        var request = new JsonObject
        {
            ["model"] = "gpt-fake-1",
            ["messages"] = new JsonArray
            {
                new JsonObject { ["role"] = "system", ["content"] = SystemText },
                new JsonObject
                {
                    ["role"] = "user",
                    ["content"] = new JsonArray { new JsonObject { ["type"] = "text", ["text"] = UserText } },
                },
            },
            ["temperature"] = 0.2,
            ["max_completion_tokens"] = 500,
        };
        using var message = Post(request);
        message.Headers.Authorization = new("Bearer", "sk-fake");

        using var response = await http.SendAsync(message);
        var body = await JsonNode.ParseAsync(await response.Content.ReadAsStreamAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        const string Content = "## Explanation\n\nFAKE answer for: Binary search tree";
        Assert.StartsWith("chatcmpl-", (string?)body!["id"], StringComparison.Ordinal);
        Assert.Equal("chat.completion", (string?)body["object"]);
        Assert.True((long)body["created"]! > 1_600_000_000);
        Assert.Equal("gpt-fake-1", (string?)body["model"]);
        var choice = Assert.Single(body["choices"]!.AsArray())!;
        Assert.Equal(0, (int)choice["index"]!);
        Assert.Equal("assistant", (string?)choice["message"]!["role"]);
        Assert.Equal(Content, (string?)choice["message"]!["content"]);
        Assert.Equal("stop", (string?)choice["finish_reason"]);
        var prompt = (SystemText.Length + UserText.Length) / 4;
        var completion = Content.Length / 4;
        Assert.Equal(prompt, (int)body["usage"]!["prompt_tokens"]!);
        Assert.Equal(completion, (int)body["usage"]!["completion_tokens"]!);
        Assert.Equal(prompt + completion, (int)body["usage"]!["total_tokens"]!);

        var call = Assert.Single(fake.Calls);
        Assert.Equal(0, call.Index);
        Assert.Equal("gpt-fake-1", call.Model);
        Assert.Equal([new FakeMessage("system", SystemText), new FakeMessage("user", UserText)], call.Messages);
        Assert.Equal(UserText, call.LastUserText);
        Assert.Equal(0.2, call.Temperature);
        Assert.Equal(500, call.MaxTokens);
        Assert.Equal("Bearer sk-fake", call.Authorization);
        Assert.Equal(1, call.AttemptForPrompt);
    }

    [Fact]
    public async Task Without_a_concept_marker_the_answer_names_the_first_80_characters()
    {
        await using var fake = await FakeOpenAiServer.StartAsync();
        using var http = Client(fake);
        var text = new string('x', 100);

        var body = await ChatAsync(http, text, maxTokensField: "max_tokens");

        Assert.Equal("## Explanation\n\nFAKE answer for: " + new string('x', 80), (string?)body["choices"]![0]!["message"]!["content"]);
        Assert.Equal(1000, fake.Calls[0].MaxTokens);
    }

    [Fact]
    public async Task Status_429_sets_Retry_After_and_attempts_are_counted_per_prompt()
    {
        await using var fake = await FakeOpenAiServer.StartAsync();
        fake.Respond(call => call.AttemptForPrompt == 1 ? FakeReply.Status(429, "1", "slow down") : FakeReply.Ok("second try", 7, 3));
        using var http = Client(fake);

        using var first = await http.SendAsync(Post(Chat("same prompt")));
        var error = await JsonNode.ParseAsync(await first.Content.ReadAsStreamAsync());
        using var other = await http.SendAsync(Post(Chat("another prompt")));
        var second = await ChatAsync(http, "same prompt");

        Assert.Equal(HttpStatusCode.TooManyRequests, first.StatusCode);
        Assert.Equal("1", first.Headers.GetValues("Retry-After").Single());
        Assert.Equal("application/json", first.Content.Headers.ContentType?.MediaType);
        Assert.Equal("slow down", (string?)error!["error"]!["message"]);
        Assert.Equal("rate_limit_exceeded", (string?)error["error"]!["code"]);
        Assert.NotNull((string?)error["error"]!["type"]);
        Assert.True(error["error"]!.AsObject().ContainsKey("param"));
        Assert.Equal(HttpStatusCode.TooManyRequests, other.StatusCode);
        Assert.Equal("second try", (string?)second["choices"]![0]!["message"]!["content"]);
        Assert.Equal(10, (int)second["usage"]!["total_tokens"]!);
        Assert.Equal([1, 1, 2], fake.Calls.Select(c => c.AttemptForPrompt));
        Assert.Equal([0, 1, 2], fake.Calls.Select(c => c.Index));
    }

    [Fact]
    public async Task EmptyChoices_is_a_valid_body_with_no_choices_and_usage()
    {
        await using var fake = await FakeOpenAiServer.StartAsync();
        fake.Respond(_ => FakeReply.EmptyChoices());
        using var http = Client(fake);

        var body = await ChatAsync(http, "anything at all");

        Assert.Empty(body["choices"]!.AsArray());
        Assert.True((int)body["usage"]!["prompt_tokens"]! >= 1);
        Assert.Equal("chat.completion", (string?)body["object"]);
    }

    [Fact]
    public async Task MalformedJson_is_a_truncated_json_body()
    {
        await using var fake = await FakeOpenAiServer.StartAsync();
        fake.Respond(_ => FakeReply.MalformedJson());
        using var http = Client(fake);

        using var response = await http.SendAsync(Post(Chat("hello")));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("{\"id\": \"chatcmpl-x\", \"choices\": [", text);
        Assert.ThrowsAny<JsonException>(() => JsonNode.Parse(text));
    }

    [Fact]
    public async Task A_request_that_is_not_json_gets_an_OpenAI_error_and_is_not_a_call()
    {
        await using var fake = await FakeOpenAiServer.StartAsync();
        using var http = Client(fake);

        using var response = await http.PostAsync("chat/completions", new StringContent("{not json", Encoding.UTF8, "application/json"));
        var error = await JsonNode.ParseAsync(await response.Content.ReadAsStreamAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request_error", (string?)error!["error"]!["type"]);
        Assert.Empty(fake.Calls);
    }

    [Fact]
    public async Task Hang_ends_when_the_client_cancels_and_counts_as_aborted()
    {
        await using var fake = await FakeOpenAiServer.StartAsync();
        fake.Respond(_ => FakeReply.Hang());
        using var http = Client(fake);
        using var cancel = new CancellationTokenSource();

        var sending = http.SendAsync(Post(Chat("never answered")), cancel.Token);
        await fake.WaitForCallsAsync(1, Patience);
        Assert.Equal(1, fake.InFlight);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
        await Until(() => fake.Aborted == 1 && fake.InFlight == 0);
    }

    [Fact]
    public async Task Three_concurrent_held_calls_are_all_in_flight_together()
    {
        await using var fake = await FakeOpenAiServer.StartAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        fake.Respond(_ => FakeReply.Held(release.Task, FakeReply.Ok("done")));
        using var http = Client(fake);

        var calls = Enumerable.Range(0, 3).Select(i => ChatAsync(http, "prompt " + i)).ToList();
        await fake.WaitForCallsAsync(3, Patience);
        Assert.Equal(3, fake.InFlight);
        release.SetResult();
        var bodies = await Task.WhenAll(calls).WaitAsync(Patience);

        Assert.All(bodies, body => Assert.Equal("done", (string?)body["choices"]![0]!["message"]!["content"]));
        Assert.Equal(3, fake.MaxInFlight);
        Assert.Equal(0, fake.InFlight);
        Assert.Equal(0, fake.Aborted);
        fake.ResetMaxInFlight();
        Assert.Equal(0, fake.MaxInFlight);
    }

    [Fact]
    public async Task WaitForCalls_times_out_when_no_call_comes()
    {
        await using var fake = await FakeOpenAiServer.StartAsync();

        await Assert.ThrowsAsync<TimeoutException>(() => fake.WaitForCallsAsync(1, TimeSpan.FromMilliseconds(50)));
    }

    private static HttpClient Client(FakeOpenAiServer fake) =>
        new() { BaseAddress = fake.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };

    private static JsonObject Chat(string userText, string maxTokensField = "max_completion_tokens") => new()
    {
        ["model"] = "gpt-fake",
        ["messages"] = new JsonArray { new JsonObject { ["role"] = "user", ["content"] = userText } },
        [maxTokensField] = 1000,
    };

    private static HttpRequestMessage Post(JsonObject body) => new(HttpMethod.Post, "chat/completions")
    {
        Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
    };

    private static async Task<JsonNode> ChatAsync(HttpClient http, string userText, string maxTokensField = "max_completion_tokens")
    {
        using var response = await http.SendAsync(Post(Chat(userText, maxTokensField)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await JsonNode.ParseAsync(await response.Content.ReadAsStreamAsync()))!;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds, failing after a bounded wait.</summary>
    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(10);
        }
    }
}
