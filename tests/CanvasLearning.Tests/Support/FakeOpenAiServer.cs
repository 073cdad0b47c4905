using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CanvasLearning.Tests.Support;

/// <summary>
/// A FAKE OpenAI service for tests: a real HTTP server (its own Kestrel on 127.0.0.1 and a free port)
/// that speaks the chat-completions wire format (<c>POST /v1/chat/completions</c>), so code that uses
/// the official OpenAI SDK can be driven end to end without the network or a key. It is not OpenAI and
/// no model runs: every answer comes from the script set with <see cref="Respond"/> (by default a
/// deterministic "FAKE answer for: ..." text, see <see cref="FakeReply.Ok"/>). Streaming
/// (<c>"stream": true</c>) is refused with a 400.
/// </summary>
public sealed class FakeOpenAiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly List<FakeCall> _calls = [];
    private readonly Dictionary<string, int> _attemptsByPrompt = new(StringComparer.Ordinal);
    private TaskCompletionSource _callArrived = NewSignal();
    private volatile Func<FakeCall, FakeReply> _script = _ => FakeReply.Ok();
    private int _inFlight;
    private int _maxInFlight;
    private int _aborted;
    private int _disposed;

    private FakeOpenAiServer(WebApplication app) => _app = app;

    /// <summary>What an OpenAI client's endpoint is set to: <c>http://127.0.0.1:PORT/v1/</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The requests that reached the script, in arrival order (a snapshot).</summary>
    public IReadOnlyList<FakeCall> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    /// <summary>Requests being handled now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>The highest <see cref="InFlight"/> seen since the start or the last <see cref="ResetMaxInFlight"/>.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>Requests whose client went away before their answer was written.</summary>
    public int Aborted => Volatile.Read(ref _aborted);

    public static async Task<FakeOpenAiServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        // Hung requests are released by DisposeAsync itself; this only bounds a stuck stop.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));

        var app = builder.Build();
        var server = new FakeOpenAiServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address.TrimEnd('/') + "/v1/");
        return server;
    }

    /// <summary>Replaces the script that answers each call (the default answers <see cref="FakeReply.Ok"/>).</summary>
    public void Respond(Func<FakeCall, FakeReply> script)
    {
        ArgumentNullException.ThrowIfNull(script);
        _script = script;
    }

    /// <summary>Completes once at least <paramref name="count"/> calls have arrived; throws <see cref="TimeoutException"/> otherwise.</summary>
    public async Task WaitForCallsAsync(int count, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            Task signal;
            int seen;
            lock (_gate)
            {
                seen = _calls.Count;
                if (seen >= count)
                {
                    return;
                }

                signal = _callArrived.Task;
            }

            try
            {
                await signal.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                throw new TimeoutException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"FAKE OpenAI server: waited {timeout} for {count} call(s), saw {Calls.Count}"));
            }
        }
    }

    public void ResetMaxInFlight() => Volatile.Write(ref _maxInFlight, InFlight);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Release Slow and Hang replies first, so stopping does not wait for them.
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task HandleAsync(HttpContext http)
    {
        UpdateMaxInFlight(Interlocked.Increment(ref _inFlight));
        try
        {
            await HandleCoreAsync(http);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            Interlocked.Increment(ref _aborted);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // The fake is shutting down under a Slow or Hang reply: drop the connection.
            http.Abort();
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task HandleCoreAsync(HttpContext http)
    {
        var path = CollapseSlashes(http.Request.Path.Value ?? "");
        if (path is not ("/v1/chat/completions" or "/chat/completions"))
        {
            await WriteErrorAsync(http, StatusCodes.Status404NotFound, $"FAKE OpenAI server: no route for '{http.Request.Path}'; only POST /v1/chat/completions is served", http.RequestAborted);
            return;
        }

        if (!HttpMethods.IsPost(http.Request.Method))
        {
            await WriteErrorAsync(http, StatusCodes.Status405MethodNotAllowed, $"FAKE OpenAI server: {http.Request.Method} is not allowed; use POST", http.RequestAborted);
            return;
        }

        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
        }
        catch (JsonException e)
        {
            await WriteErrorAsync(http, StatusCodes.Status400BadRequest, "FAKE OpenAI server: the body is not valid JSON: " + e.Message, http.RequestAborted);
            return;
        }

        if (body is not JsonObject request || request["messages"] is not JsonArray messages)
        {
            await WriteErrorAsync(http, StatusCodes.Status400BadRequest, "FAKE OpenAI server: the body must be a JSON object with a 'messages' array", http.RequestAborted);
            return;
        }

        if (request["model"] is not JsonValue modelValue || !modelValue.TryGetValue<string>(out var model) || model.Length == 0)
        {
            await WriteErrorAsync(http, StatusCodes.Status400BadRequest, "FAKE OpenAI server: you must provide a model parameter", http.RequestAborted);
            return;
        }

        if (request["stream"] is JsonValue stream && stream.TryGetValue<bool>(out var streaming) && streaming)
        {
            await WriteErrorAsync(http, StatusCodes.Status400BadRequest, "FAKE OpenAI server: \"stream\": true is not supported by this fake", http.RequestAborted);
            return;
        }

        var call = Record(
            model,
            [.. messages.Select(ParseMessage)],
            ReadDouble(request["temperature"]),
            ReadInt(request["max_completion_tokens"]) ?? ReadInt(request["max_tokens"]),
            http.Request.Headers.Authorization.Count > 0 ? http.Request.Headers.Authorization.ToString() : null,
            request["max_completion_tokens"] is not null ? "max_completion_tokens" : request["max_tokens"] is not null ? "max_tokens" : null);

        FakeReply reply;
        try
        {
            reply = _script(call);
        }
#pragma warning disable CA1031 // A failing script must show up as an answer the test can read, not a dropped connection.
        catch (Exception e)
#pragma warning restore CA1031
        {
            reply = FakeReply.Status(StatusCodes.Status500InternalServerError, message: "FAKE OpenAI server: the test script threw " + e);
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, _stopping.Token);
        await AnswerAsync(http, call, reply, linked.Token);
    }

    private FakeCall Record(string model, IReadOnlyList<FakeMessage> messages, double? temperature, int? maxTokens, string? authorization, string? maxTokensField)
    {
        var lastUserText = FakeCall.LastUserTextOf(messages);
        FakeCall call;
        TaskCompletionSource arrived;
        lock (_gate)
        {
            var attempt = _attemptsByPrompt.GetValueOrDefault(lastUserText) + 1;
            _attemptsByPrompt[lastUserText] = attempt;
            call = new FakeCall(_calls.Count, model, messages, temperature, maxTokens, authorization, attempt, DateTimeOffset.UtcNow)
            {
                MaxTokensField = maxTokensField,
                ReceivedTimestamp = Stopwatch.GetTimestamp(),
            };
            _calls.Add(call);
            arrived = _callArrived;
            _callArrived = NewSignal();
        }

        arrived.SetResult();
        return call;
    }

    private static async Task AnswerAsync(HttpContext http, FakeCall call, FakeReply reply, CancellationToken cancellationToken)
    {
        switch (reply.Kind)
        {
            case FakeReplyKind.Slow:
                await Task.Delay(reply.Delay, cancellationToken);
                await AnswerAsync(http, call, reply.Then!, cancellationToken);
                return;
            case FakeReplyKind.Hang:
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
                return;
            case FakeReplyKind.Held:
                await reply.Release!.WaitAsync(cancellationToken);
                await AnswerAsync(http, call, reply.Then!, cancellationToken);
                return;
            case FakeReplyKind.StalledBody:
                // The status line and headers go out at once; the body only after the delay.
                http.Response.StatusCode = StatusCodes.Status200OK;
                http.Response.ContentType = "application/json";
                await http.Response.StartAsync(cancellationToken);
                await http.Response.Body.FlushAsync(cancellationToken);
                await Task.Delay(reply.Delay, cancellationToken);
                await http.Response.WriteAsync(Completion(call, DefaultContent(call), null, null).ToJsonString(), cancellationToken);
                return;
        }

        // A client that left while the script ran has not been answered either.
        cancellationToken.ThrowIfCancellationRequested();
        switch (reply.Kind)
        {
            case FakeReplyKind.Ok:
                var content = reply.Content ?? DefaultContent(call);
                await WriteJsonAsync(http, StatusCodes.Status200OK, Completion(call, content, reply.PromptTokens, reply.CompletionTokens), cancellationToken);
                break;
            case FakeReplyKind.EmptyChoices:
                await WriteJsonAsync(http, StatusCodes.Status200OK, Completion(call, content: null, reply.PromptTokens, reply.CompletionTokens ?? 0), cancellationToken);
                break;
            case FakeReplyKind.Raw:
                http.Response.StatusCode = reply.StatusCode;
                http.Response.ContentType = "application/json";
                await http.Response.WriteAsync(reply.Content!, cancellationToken);
                break;
            case FakeReplyKind.MalformedJson:
                http.Response.StatusCode = StatusCodes.Status200OK;
                http.Response.ContentType = "application/json";
                await http.Response.WriteAsync("{\"id\": \"chatcmpl-x\", \"choices\": [", cancellationToken);
                break;
            case FakeReplyKind.Status:
                if (reply.RetryAfter is not null)
                {
                    http.Response.Headers.RetryAfter = reply.RetryAfter;
                }

                await WriteErrorAsync(http, reply.StatusCode, reply.Message!, cancellationToken);
                break;
            default:
                throw new InvalidOperationException($"FAKE OpenAI server: unknown reply kind {reply.Kind}");
        }
    }

    /// <summary>
    /// "## Explanation\n\nFAKE answer for: " and the line after a line "&lt;&lt;concept&gt;&gt;" in the last
    /// user message, or else that message's first 80 characters.
    /// </summary>
    public static string DefaultContent(FakeCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return "## Explanation\n\nFAKE answer for: " + Marker(call.LastUserText);
    }

    private static string Marker(string text)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length - 1; i++)
        {
            if (lines[i].TrimEnd('\r').Trim() == "<<concept>>")
            {
                return lines[i + 1].TrimEnd('\r').Trim();
            }
        }

        return text.Length <= 80 ? text : text[..80];
    }

    private static JsonObject Completion(FakeCall call, string? content, int? promptTokens, int? completionTokens)
    {
        var prompt = promptTokens ?? Math.Max(1, call.Messages.Sum(m => m.Text.Length) / 4);
        var completion = completionTokens ?? Math.Max(1, (content?.Length ?? 0) / 4);
        var choices = new JsonArray();
        if (content is not null)
        {
            choices.Add(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject
                {
                    ["role"] = "assistant",
                    ["content"] = content,
                    ["refusal"] = null,
                },
                ["logprobs"] = null,
                ["finish_reason"] = "stop",
            });
        }

        return new JsonObject
        {
            ["id"] = "chatcmpl-" + (call.Index + 1).ToString(CultureInfo.InvariantCulture),
            ["object"] = "chat.completion",
            ["created"] = call.ReceivedAt.ToUnixTimeSeconds(),
            ["model"] = call.Model,
            ["choices"] = choices,
            ["usage"] = new JsonObject
            {
                ["prompt_tokens"] = prompt,
                ["completion_tokens"] = completion,
                ["total_tokens"] = prompt + completion,
            },
        };
    }

    private static Task WriteErrorAsync(HttpContext http, int statusCode, string message, CancellationToken cancellationToken)
    {
        var (type, code) = statusCode switch
        {
            401 => ("invalid_request_error", "invalid_api_key"),
            403 => ("invalid_request_error", "permission_denied"),
            404 => ("invalid_request_error", "not_found"),
            429 => ("requests", "rate_limit_exceeded"),
            >= 500 => ("server_error", "server_error"),
            _ => ("invalid_request_error", "invalid_request"),
        };
        var body = new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["message"] = message,
                ["type"] = type,
                ["param"] = null,
                ["code"] = code,
            },
        };
        return WriteJsonAsync(http, statusCode, body, cancellationToken);
    }

    private static async Task WriteJsonAsync(HttpContext http, int statusCode, JsonNode body, CancellationToken cancellationToken)
    {
        http.Response.StatusCode = statusCode;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(body.ToJsonString(), cancellationToken);
    }

    private static FakeMessage ParseMessage(JsonNode? node)
    {
        if (node is not JsonObject message)
        {
            return new FakeMessage("", "");
        }

        var role = message["role"] is JsonValue r && r.TryGetValue<string>(out var s) ? s : "";
        return new FakeMessage(role, TextOf(message["content"]));
    }

    /// <summary>Content is a string, or an array of parts whose "text" parts are joined as they are.</summary>
    private static string TextOf(JsonNode? content) => content switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonArray parts => string.Concat(parts
            .OfType<JsonObject>()
            .Where(p => p["type"] is JsonValue t && t.TryGetValue<string>(out var type) && type == "text")
            .Select(p => p["text"] is JsonValue v && v.TryGetValue<string>(out var text) ? text : "")),
        _ => "",
    };

    private static double? ReadDouble(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<double>(out var number) ? number : null;

    private static int? ReadInt(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<int>(out var number) ? number : null;

    private static string CollapseSlashes(string path)
    {
        while (path.Contains("//", StringComparison.Ordinal))
        {
            path = path.Replace("//", "/", StringComparison.Ordinal);
        }

        return path.TrimEnd('/');
    }

    private void UpdateMaxInFlight(int current)
    {
        var seen = Volatile.Read(ref _maxInFlight);
        while (current > seen)
        {
            var previous = Interlocked.CompareExchange(ref _maxInFlight, current, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }
}

/// <summary>One chat-completions request the <see cref="FakeOpenAiServer"/> received.</summary>
/// <param name="Index">0-based position among all calls.</param>
/// <param name="MaxTokens"><c>max_completion_tokens</c>, or else <c>max_tokens</c>.</param>
/// <param name="Authorization">The Authorization header as sent (for example "Bearer sk-...").</param>
/// <param name="AttemptForPrompt">1-based count of calls so far with the same <see cref="LastUserText"/>, this one included.</param>
public sealed record FakeCall(
    int Index,
    string Model,
    IReadOnlyList<FakeMessage> Messages,
    double? Temperature,
    int? MaxTokens,
    string? Authorization,
    int AttemptForPrompt,
    DateTimeOffset ReceivedAt)
{
    /// <summary>The text of the last message with role "user", or "" when there is none.</summary>
    public string LastUserText => LastUserTextOf(Messages);

    /// <summary>Which field carried the token limit: <c>max_completion_tokens</c>, <c>max_tokens</c>, or null.</summary>
    public string? MaxTokensField { get; init; }

    /// <summary>When it arrived on the monotonic clock (<see cref="Stopwatch.GetTimestamp"/>), the one timers and retry delays run on.</summary>
    public long ReceivedTimestamp { get; init; }

    /// <summary>Time between two arrivals on the monotonic clock (a wall-clock step does not change it).</summary>
    public static TimeSpan Between(FakeCall earlier, FakeCall later)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        ArgumentNullException.ThrowIfNull(later);
        return Stopwatch.GetElapsedTime(earlier.ReceivedTimestamp, later.ReceivedTimestamp);
    }

    internal static string LastUserTextOf(IReadOnlyList<FakeMessage> messages) =>
        messages.LastOrDefault(m => m.Role == "user")?.Text ?? "";
}

/// <summary>A message's role and its text (string content, or its text parts joined).</summary>
public sealed record FakeMessage(string Role, string Text);

public enum FakeReplyKind
{
    Ok,
    Status,
    Slow,
    Hang,
    MalformedJson,
    EmptyChoices,
    Raw,
    StalledBody,
    Held,
}

/// <summary>How the <see cref="FakeOpenAiServer"/> answers one call; made by the factories.</summary>
public sealed record FakeReply
{
    private FakeReply(FakeReplyKind kind) => Kind = kind;

    public FakeReplyKind Kind { get; }

    public string? Content { get; private init; }

    public int? PromptTokens { get; private init; }

    public int? CompletionTokens { get; private init; }

    public int StatusCode { get; private init; } = 200;

    public string? RetryAfter { get; private init; }

    public string? Message { get; private init; }

    public TimeSpan Delay { get; private init; }

    public FakeReply? Then { get; private init; }

    public Task? Release { get; private init; }

    /// <summary>
    /// 200 with one assistant choice. By default the content is <see cref="FakeOpenAiServer.DefaultContent"/>,
    /// prompt tokens are the characters of all messages / 4 and completion tokens the content's / 4 (each at least 1).
    /// </summary>
    public static FakeReply Ok(string? content = null, int? promptTokens = null, int? completionTokens = null) =>
        new(FakeReplyKind.Ok) { Content = content, PromptTokens = promptTokens, CompletionTokens = completionTokens };

    /// <summary>An OpenAI error body with this status; <paramref name="retryAfter"/> (seconds, or an HTTP date) sets Retry-After.</summary>
    public static FakeReply Status(int statusCode, string? retryAfter = null, string message = "FAKE error from the fake OpenAI server")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 400);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 599);
        ArgumentNullException.ThrowIfNull(message);
        return new(FakeReplyKind.Status) { StatusCode = statusCode, RetryAfter = retryAfter, Message = message };
    }

    /// <summary>Waits <paramref name="delay"/> (ended early if the client goes away), then answers <paramref name="then"/>.</summary>
    public static FakeReply Slow(TimeSpan delay, FakeReply then)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(then);
        return new(FakeReplyKind.Slow) { Delay = delay, Then = then };
    }

    /// <summary>
    /// Waits until <paramref name="release"/> completes (ended early if the client goes away), then
    /// answers <paramref name="then"/>: the test decides when, so calls can be kept in flight together.
    /// </summary>
    public static FakeReply Held(Task release, FakeReply then)
    {
        ArgumentNullException.ThrowIfNull(release);
        ArgumentNullException.ThrowIfNull(then);
        return new(FakeReplyKind.Held) { Release = release, Then = then };
    }

    /// <summary>Never answers; the request ends when the client goes away (or the fake stops).</summary>
    public static FakeReply Hang() => new(FakeReplyKind.Hang);

    /// <summary>Exactly this body, as JSON, with this status.</summary>
    public static FakeReply Raw(int statusCode, string body) => new(FakeReplyKind.Raw) { StatusCode = statusCode, Content = body };

    /// <summary>200 and the headers at once, the (default) completion body only after <paramref name="delay"/>.</summary>
    public static FakeReply StalledBody(TimeSpan delay) => new(FakeReplyKind.StalledBody) { Delay = delay };

    /// <summary>200, application/json, and a body cut off mid-way: <c>{"id": "chatcmpl-x", "choices": [</c>.</summary>
    public static FakeReply MalformedJson() => new(FakeReplyKind.MalformedJson);

    /// <summary>200 with a valid body whose "choices" is empty (usage still present).</summary>
    public static FakeReply EmptyChoices() => new(FakeReplyKind.EmptyChoices);
}
