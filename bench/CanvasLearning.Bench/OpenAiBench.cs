using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using CanvasLearning.Agents.OpenAi;
using CanvasLearning.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace CanvasLearning.Bench;

/// <summary>
/// One session through the real OpenAI-compatible provider against a FAKE chat-completions endpoint
/// in this process: every answer takes <c>answer-ms</c>, and the first try of every
/// <c>fail-every</c>-th call answers 429 (<c>Retry-After: 1</c>) or 500, alternately.
/// Usage: <c>-- openai [nodes=30] [answer-ms=1000] [fail-every=5] [limit=12]</c>.
/// Prints the wall time next to the ideal, ceil(nodes / limit) × answer-ms.
/// </summary>
internal static class OpenAiBench
{
    public static async Task RunAsync(string[] args)
    {
        var nodes = Arg(args, 0, 30);
        var answerMs = Arg(args, 1, 1000);
        var failEvery = Arg(args, 2, 5);
        var limit = Arg(args, 3, 12);

        await using var model = await FakeEndpoint.StartAsync(TimeSpan.FromMilliseconds(answerMs), failEvery);
        var vault = Directory.CreateTempSubdirectory("cl-bench-").FullName;
        await File.WriteAllTextAsync(Path.Combine(vault, "bench.canvas"), BenchCanvas.Generate(nodes));
        Environment.SetEnvironmentVariable("CL_BENCH_KEY", "bench-key");
        await using var app = ServerApp.Build(new Dictionary<string, string?>
        {
            ["Vault:Root"] = vault,
            ["urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:CanvasLearning.Agents"] = "Error",
            ["Engine:MaxConcurrentNodes"] = Text(limit),
            ["Agents:Provider"] = OpenAiAgentProvider.ProviderName,
            ["Agents:OpenAI:BaseUrl"] = model.BaseUrl,
            ["Agents:OpenAI:Model"] = "fake-bench",
            ["Agents:OpenAI:ApiKeyVariable"] = "CL_BENCH_KEY",
            ["Agents:OpenAI:MaxConcurrentCalls"] = Text(limit),
            ["Agents:OpenAI:RetryDelayMilliseconds"] = "200",
        });
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        using var http = new HttpClient { BaseAddress = address };

        var metrics = app.Services.GetRequiredService<AgentMetrics>();
        var ideal = (nodes + limit - 1) / limit * answerMs;
        Console.WriteLine($"{nodes} nodes, answers of {answerMs} ms, first try of every {failEvery}th call 429 or 500, limit {limit}; ideal without failures {ideal} ms");

        // The first session of a process also pays for JIT-compiling the HTTP, OpenAI SDK and Polly code paths.
        foreach (var round in new[] { "cold (first session of the process)", "warm", "warm" })
        {
            model.Reset();
            var retriesBefore = metrics.Retries;
            var clock = Stopwatch.StartNew();
            var status = await RunSessionAsync(http, nodes);
            clock.Stop();
            Console.WriteLine($"  {round}: {status["status"]}, {status["completed_nodes"]} succeeded, {status["failed_nodes"]} failed; " +
                              $"{model.Calls} calls ({model.RateLimited} × 429, {model.ServerErrors} × 500), {metrics.Retries - retriesBefore} retries, " +
                              $"at most {model.MaxInFlight} in flight; wall time {clock.ElapsedMilliseconds} ms");
        }

        await app.StopAsync();
        Directory.Delete(vault, recursive: true);
    }

    private static async Task<JsonObject> RunSessionAsync(HttpClient http, int nodes)
    {
        var confirm = await http.PostAsJsonAsync("/api/v1/canvas/intelligent-parallel/confirm", BenchCanvas.Confirm(nodes));
        var session = (await confirm.Content.ReadFromJsonAsync<JsonObject>())!["session_id"]!.GetValue<string>();
        JsonObject status;
        do
        {
            await Task.Delay(20);
            status = (await http.GetFromJsonAsync<JsonObject>($"/api/v1/canvas/intelligent-parallel/{session}"))!;
        }
        while (status["status"]!.GetValue<string>() is "pending" or "running");

        return status;
    }

    private static int Arg(string[] args, int index, int fallback) =>
        args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A FAKE chat-completions endpoint: canned answers after a fixed delay, scripted failures.</summary>
    private sealed class FakeEndpoint : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private int _calls;
        private int _inFlight;
        private int _maxInFlight;
        private int _rateLimited;
        private int _serverErrors;

        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _seen = new(StringComparer.Ordinal);

        private FakeEndpoint(WebApplication app) => _app = app;

        public string BaseUrl { get; private set; } = "";

        public int Calls => _calls;

        public int MaxInFlight => _maxInFlight;

        public int RateLimited => _rateLimited;

        public int ServerErrors => _serverErrors;

        public static async Task<FakeEndpoint> StartAsync(TimeSpan answer, int failEvery)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            var app = builder.Build();
            var endpoint = new FakeEndpoint(app);
            app.MapPost("/v1/chat/completions", async (HttpContext context) =>
            {
                var body = (await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted))!;
                var prompt = body["messages"]![1]!["content"]!.ToJsonString();
                var call = Interlocked.Increment(ref endpoint._calls);
                var firstTry = endpoint._seen.AddOrUpdate(prompt, 1, (_, n) => n + 1) == 1;
                if (firstTry && call % failEvery == 0)
                {
                    var limited = call / failEvery % 2 == 1;
                    Interlocked.Increment(ref limited ? ref endpoint._rateLimited : ref endpoint._serverErrors);
                    if (limited)
                    {
                        context.Response.Headers.RetryAfter = "1";
                    }

                    return Results.Json(new JsonObject { ["error"] = new JsonObject { ["message"] = "FAKE failure" } }, statusCode: limited ? 429 : 500);
                }

                var now = Interlocked.Increment(ref endpoint._inFlight);
                int max;
                while (now > (max = Volatile.Read(ref endpoint._maxInFlight)) && Interlocked.CompareExchange(ref endpoint._maxInFlight, now, max) != max)
                {
                }

                try
                {
                    await Task.Delay(answer, context.RequestAborted);
                }
                finally
                {
                    Interlocked.Decrement(ref endpoint._inFlight);
                }

                var content = "## Explanation\n\nFAKE answer.";
                return Results.Json(new JsonObject
                {
                    ["id"] = $"chatcmpl-{call}",
                    ["object"] = "chat.completion",
                    ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                    ["model"] = body["model"]!.GetValue<string>(),
                    ["choices"] = new JsonArray(new JsonObject
                    {
                        ["index"] = 0,
                        ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content },
                        ["finish_reason"] = "stop",
                    }),
                    ["usage"] = new JsonObject { ["prompt_tokens"] = prompt.Length / 4, ["completion_tokens"] = content.Length / 4, ["total_tokens"] = (prompt.Length + content.Length) / 4 },
                });
            });
            await app.StartAsync();
            endpoint.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/v1";
            return endpoint;
        }

        /// <summary>Starts a new round: counts from zero, every prompt new again.</summary>
        public void Reset()
        {
            _seen.Clear();
            _calls = 0;
            _maxInFlight = 0;
            _rateLimited = 0;
            _serverErrors = 0;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
