using System.ClientModel;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CanvasLearning.Agents.Offline;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace CanvasLearning.Agents.OpenAi;

/// <summary>
/// Explains a concept with a model behind any OpenAI-compatible chat-completions endpoint, through
/// Microsoft.Extensions.AI's <see cref="IChatClient"/>. Retries, backoff, <c>Retry-After</c>, the
/// per-attempt timeout and the adaptive concurrency limit live in the HTTP pipeline below it
/// (see <see cref="OpenAiRegistration"/>); here failures that are left become an <see cref="AgentException"/>
/// whose <see cref="AgentException.ErrorType"/> says why.
/// </summary>
public sealed partial class OpenAiAgentProvider(
    IChatClient chat,
    IOptions<OpenAiAgentOptions> options,
    AgentMetrics metrics,
    TimeProvider timeProvider,
    ILogger<OpenAiAgentProvider> logger) : IAgentProvider
{
    public const string ProviderName = "openai";

    private readonly OpenAiAgentOptions _options = options.Value;

    public string Name => ProviderName;

    public TimeSpan TypicalCallDuration => TimeSpan.FromSeconds(20);

    public async Task<AgentResult> ExplainAsync(AgentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!AgentTypes.IsKnown(request.AgentType))
        {
            throw new AgentException("bad_request", $"unknown agent type '{request.AgentType}'; use one of: {string.Join(", ", AgentTypes.All)}", transient: false);
        }

        var language = OfflineScaffold.LanguageOf(request);
        var chatOptions = new ChatOptions
        {
            ModelId = _options.Model,
            Temperature = (float)_options.Temperature,
            MaxOutputTokens = _options.MaxTokens,
        };
        var started = timeProvider.GetTimestamp();
        try
        {
            var response = await chat.GetResponseAsync(OpenAiPrompts.Build(request, language), chatOptions, cancellationToken);
            var body = OpenAiNote.CleanBody(response.Text);
            if (body.Length == 0)
            {
                // Cut off by the token limit (reasoning models spend it before writing): the same request fails the same way.
                var cutOff = response.FinishReason == ChatFinishReason.Length;
                throw new AgentException("invalid_response", cutOff
                    ? $"the model '{_options.Model}' used all {_options.MaxTokens} tokens before writing any text; raise Agents:OpenAI:MaxTokens, then retry"
                    : $"the model '{_options.Model}' returned no text (finish reason: {response.FinishReason?.Value ?? "none"}); retry the node", transient: !cutOff);
            }

            var model = response.ModelId ?? _options.Model!;
            var tokensIn = response.Usage?.InputTokenCount ?? 0;
            var tokensOut = response.Usage?.OutputTokenCount ?? 0;
            metrics.Called(Name, "succeeded", timeProvider.GetElapsedTime(started), tokensIn, tokensOut);
            return new AgentResult(OpenAiNote.Compose(request, language, model, body), model, (int)tokensIn, (int)tokensOut);
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested)
        {
            // Cancelled by the caller: whatever else went wrong at that moment, the node is not failed.
            throw ex as OperationCanceledException ?? new OperationCanceledException("the agent call was cancelled", ex, cancellationToken);
        }
        catch (Exception ex)
        {
            var failure = Classify(ex);
            metrics.Called(Name, failure.ErrorType, timeProvider.GetElapsedTime(started), 0, 0);
            OpenAiLog.CallFailed(logger, Name, failure.ErrorType, failure.Message);
            throw failure;
        }
    }

    /// <summary>What a failure means for the learner and whether trying again can help. Every exception gets an answer.</summary>
    internal AgentException Classify(Exception ex)
    {
        var where = _options.BaseUrl;
        return ex switch
        {
            AgentException agent => agent,
            ClientResultException { Status: 401 or 403 } e => new AgentException("auth",
                $"{where} refused the request (HTTP {e.Status}: {Detail(e)}); check the key in the environment variable {_options.ApiKeyVariable} and that it may use the model '{_options.Model}'", transient: false, e),
            ClientResultException { Status: 429 } e when IsQuotaExhausted(e) => new AgentException("quota_exceeded",
                $"{where} says the account's quota is used up (HTTP 429: {Detail(e)}); add credit or use another key, then retry", transient: false, e),
            ClientResultException { Status: 429 } e => new AgentException("rate_limited",
                $"{where} kept answering 429 (rate limited) for {_options.RateLimitWaitSeconds} s: {Detail(e)}; lower max_concurrent or Agents:OpenAI:MaxConcurrentCalls, then retry", transient: true, e),
            ClientResultException { Status: 404 } e => new AgentException("bad_request",
                $"{where} answered 404 ({Detail(e)}): the model '{_options.Model}' or the chat-completions route does not exist there; check Agents:OpenAI:Model and BaseUrl (it usually ends in /v1)", transient: false, e),
            ClientResultException { Status: 400 or 413 or 422 } e => new AgentException("bad_request",
                $"{where} rejected the request (HTTP {e.Status}): {Detail(e)}", transient: false, e),
            ClientResultException { Status: 408 or >= 500 } e => new AgentException("provider_unavailable",
                $"{where} failed (HTTP {e.Status}) {Tries}: {Detail(e)}; try again later", transient: true, e),
            ClientResultException { Status: 0, InnerException: { } inner } => Classify(inner),
            ClientResultException e => new AgentException("bad_request",
                $"{where} answered HTTP {e.Status}: {Detail(e)}", transient: false, e),
            TimeoutRejectedException or OperationCanceledException => Timeout(ex),
            HttpRequestException or IOException => new AgentException("provider_unavailable",
                $"cannot reach {where}: {ex.Message}; is the server running and Agents:OpenAI:BaseUrl right?", transient: true, ex),
            _ => new AgentException("invalid_response",
                $"{where} answered with something that is not a chat completion ({ex.GetType().Name}: {ex.Message}); check that it speaks the OpenAI protocol", transient: true, ex),
        };
    }

    private static bool IsQuotaExhausted(ClientResultException e) =>
        e.GetRawResponse()?.Content?.ToString().Contains("insufficient_quota", StringComparison.Ordinal) == true;

    private string Tries => _options.MaxRetries == 0 ? "(not retried: Agents:OpenAI:MaxRetries is 0)" : $"after {_options.MaxRetries} retries";

    private AgentException Timeout(Exception e) => new("timeout",
        $"{_options.BaseUrl} did not answer within {_options.AttemptTimeoutSeconds} s (the time one attempt may take); raise Agents:OpenAI:AttemptTimeoutSeconds or use a faster model", transient: true, e);

    /// <summary>
    /// The provider's own words: <c>error.message</c> of the answer's body (or <c>error</c> when it is a
    /// string), else what follows the status line of the SDK's message.
    /// </summary>
    internal static string Detail(ClientResultException e)
    {
        const int MaxLength = 500;
        try
        {
            if (e.GetRawResponse()?.Content is { } content && JsonNode.Parse(content.ToMemory().Span) is JsonObject body)
            {
                var error = body["error"];
                var text = error is JsonObject detail ? detail["message"] : error;
                if (text is JsonValue value && value.TryGetValue<string>(out var message) && !string.IsNullOrWhiteSpace(message))
                {
                    return ConceptText.Truncate(Mask(message.Trim()), MaxLength);
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Not JSON (an HTML error page from a proxy, say): fall back to the SDK's text.
        }

        // The SDK writes "HTTP 400 (type: code)", a blank line, then the provider's message.
        var parts = e.Message.ReplaceLineEndings("\n").Split("\n\n", 2);
        return ConceptText.Truncate(Mask((parts.Length == 2 && parts[1].Trim().Length > 0 ? parts[1] : parts[0]).Trim()), MaxLength);
    }

    /// <summary>Some providers quote the key they refused; it must not reach a node's error, the log or the database.</summary>
    internal static string Mask(string text) => KeyLike().Replace(text, m => m.Value[..3] + "…");

    [GeneratedRegex(@"\b(sk|pk|rk)-[A-Za-z0-9_\-*]{6,}")]
    private static partial Regex KeyLike();
}
