using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace CanvasLearning.Tests.Api;

/// <summary>Raw-HTTP helpers: bodies as JSON text, answers read as <see cref="JsonNode"/> so the wire names are what is asserted.</summary>
internal static class ApiCalls
{
    public const string Base = "/api/v1/canvas/intelligent-parallel";
    public const string ConfirmPath = Base + "/confirm";
    public const string SingleAgentPath = "/api/v1/canvas/single-agent";

    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static readonly string[] TerminalStatuses = ["completed", "partial_failure", "failed", "cancelled"];

    /// <summary>A confirm body with one group per (agent type, node ids).</summary>
    public static JsonObject ConfirmBody(string canvasPath, params (string AgentType, string[] NodeIds)[] groups)
    {
        var array = new JsonArray();
        for (var i = 0; i < groups.Length; i++)
        {
            array.Add(new JsonObject
            {
                ["group_id"] = $"g{i + 1}",
                ["agent_type"] = groups[i].AgentType,
                ["node_ids"] = new JsonArray(groups[i].NodeIds.Select(id => (JsonNode?)JsonValue.Create(id)).ToArray()),
            });
        }

        return new JsonObject { ["canvas_path"] = canvasPath, ["groups"] = array };
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, JsonNode body) =>
        client.PostRawAsync(path, body.ToJsonString());

    public static Task<HttpResponseMessage> PostRawAsync(this HttpClient client, string path, string text, string mediaType = "application/json") =>
        client.PostAsync(new Uri(path, UriKind.Relative), new StringContent(text, Encoding.UTF8, mediaType));

    public static Task<HttpResponseMessage> GetPathAsync(this HttpClient client, string path) =>
        client.GetAsync(new Uri(path, UriKind.Relative));

    public static async Task<JsonObject> ReadObjectAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text)?.AsObject() ?? throw new InvalidOperationException($"not a JSON object: {text}");
    }

    /// <summary>POST /confirm, asserting 202; returns the answer.</summary>
    public static async Task<JsonObject> ConfirmAsync(this HttpClient client, JsonNode body)
    {
        using var response = await client.PostJsonAsync(ConfirmPath, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"confirm answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public static async Task<string> ConfirmIdAsync(this HttpClient client, JsonNode body) =>
        Str(await client.ConfirmAsync(body), "session_id");

    /// <summary>GET /{id}, asserting 200.</summary>
    public static async Task<JsonObject> GetSessionAsync(this HttpClient client, string sessionId)
    {
        using var response = await client.GetPathAsync($"{Base}/{sessionId}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET session answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>Polls GET /{id} until the session's status is one of <paramref name="statuses"/>; fails after <see cref="Deadline"/>.</summary>
    public static Task<JsonObject> WaitForStatusAsync(this HttpClient client, string sessionId, params string[] statuses) =>
        client.WaitForSessionAsync(sessionId, s => statuses.Contains(Str(s, "status")), $"status in [{string.Join(", ", statuses)}]");

    public static Task<JsonObject> WaitForTerminalAsync(this HttpClient client, string sessionId) =>
        client.WaitForStatusAsync(sessionId, TerminalStatuses);

    /// <summary>Polls GET /{id} until <paramref name="condition"/> holds; fails after <see cref="Deadline"/>.</summary>
    public static async Task<JsonObject> WaitForSessionAsync(this HttpClient client, string sessionId, Func<JsonObject, bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var session = await client.GetSessionAsync(sessionId);
            if (condition(session))
            {
                return session;
            }

            if (clock.Elapsed > Deadline)
            {
                Assert.Fail($"session {sessionId}: no {what} within {Deadline.TotalSeconds} s; last answer: {session.ToJsonString()}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>
    /// Asserts an RFC 9457 answer: the status, application/problem+json, status/title/detail/error
    /// members, the contract's <c>error</c> code, and no stack trace or exception name.
    /// </summary>
    /// <param name="requireDetail">False for the framework's own answers (no route, query binding), which carry no <c>detail</c>.</param>
    public static async Task<JsonObject> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string? error, bool requireDetail = true)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.Equal((int)status, problem["status"]?.GetValue<int>());
        Assert.False(string.IsNullOrWhiteSpace(problem["title"]?.GetValue<string>()), $"no title: {text}");
        if (requireDetail)
        {
            Assert.False(string.IsNullOrWhiteSpace(problem["detail"]?.GetValue<string>()), $"no detail: {text}");
        }

        Assert.False(string.IsNullOrWhiteSpace(problem["error"]?.GetValue<string>()), $"no error code: {text}");
        if (error is not null)
        {
            Assert.Equal(error, problem["error"]!.GetValue<string>());
        }

        return problem;
    }

    /// <summary>Asserts the problem's <c>errors</c> names <paramref name="field"/> with at least one message.</summary>
    public static void AssertNamesField(JsonObject problem, string field)
    {
        var errors = problem["errors"] as JsonObject;
        Assert.True(errors is not null, $"no 'errors' object: {problem.ToJsonString()}");
        Assert.True(errors.ContainsKey(field), $"'errors' does not name '{field}': {problem.ToJsonString()}");
        var messages = errors[field]!.AsArray();
        Assert.NotEmpty(messages);
        Assert.All(messages, m => Assert.False(string.IsNullOrWhiteSpace(m!.GetValue<string>())));
    }

    public static string Str(JsonNode node, string name) =>
        node[name]?.GetValue<string>() ?? throw new InvalidOperationException($"no string '{name}' in {node.ToJsonString()}");

    public static int Int(JsonNode node, string name) =>
        node[name]?.GetValue<int>() ?? throw new InvalidOperationException($"no number '{name}' in {node.ToJsonString()}");

    /// <summary>Every results[] entry of every group, with the group's agent type.</summary>
    public static List<(string AgentType, string NodeId, string FilePath, long FileSize)> Results(JsonObject session) =>
        session["groups"]!.AsArray()
            .SelectMany(g => g!["results"]!.AsArray().Select(r =>
                (Str(g, "agent_type"), Str(r!, "node_id"), Str(r!, "file_path"), r!["file_size"]!.GetValue<long>())))
            .ToList();

    /// <summary>Every errors[] entry of every group.</summary>
    public static List<(string NodeId, string Message)> Errors(JsonObject session) =>
        session["groups"]!.AsArray()
            .SelectMany(g => g!["errors"]!.AsArray().Select(e => (Str(e!, "node_id"), Str(e!, "error_message"))))
            .ToList();
}
