using System.ComponentModel.DataAnnotations;

namespace CanvasLearning.Agents.OpenAi;

/// <summary>
/// The provider for any endpoint that speaks the OpenAI chat-completions protocol (OpenAI, Ollama,
/// vLLM, LM Studio, DeepSeek, OpenRouter, Gemini's compatible endpoint). Section <c>Agents:OpenAI</c>;
/// the provider exists only when this section names a <see cref="Model"/>. The API key is read from
/// the environment variable <see cref="ApiKeyVariable"/> names, never from configuration.
/// </summary>
public sealed class OpenAiAgentOptions
{
    public const string Section = "Agents:OpenAI";

    /// <summary>Where the API lives, up to and including <c>/v1</c>.</summary>
    [Required]
    public string BaseUrl { get; set; } = "https://api.openai.com/v1";

    /// <summary>Model name as the endpoint knows it (<c>gpt-4o-mini</c>, <c>qwen2.5:7b</c>, <c>deepseek-chat</c>).</summary>
    public string? Model { get; set; }

    /// <summary>Name of the environment variable holding the API key. A server on this machine may need none.</summary>
    [Required]
    [RegularExpression("^[A-Za-z_][A-Za-z0-9_]*$", ErrorMessage = "Agents:OpenAI:ApiKeyVariable must be an environment variable name such as OPENAI_API_KEY")]
    public string ApiKeyVariable { get; set; } = "OPENAI_API_KEY";

    /// <summary>
    /// Whether start-up insists on the key: by default only for endpoints not on this machine. Set
    /// false for a keyless server elsewhere (Ollama on another host or in a container).
    /// </summary>
    public bool? RequireApiKey { get; set; }

    /// <summary>Sampling temperature, 0 to 2; low keeps explanations focused.</summary>
    [Range(0.0, 2.0)]
    public double Temperature { get; set; } = 0.3;

    /// <summary>Longest answer, in tokens.</summary>
    [Range(16, 200_000)]
    public int MaxTokens { get; set; } = 2_048;

    /// <summary>
    /// Request field for <see cref="MaxTokens"/>: <c>max_completion_tokens</c> (OpenAI's current name),
    /// <c>max_tokens</c> (what Ollama, vLLM, LM Studio and most compatible servers read) or <c>auto</c>:
    /// the first for api.openai.com and Azure OpenAI, the second elsewhere.
    /// </summary>
    [RegularExpression("^(auto|max_tokens|max_completion_tokens)$", ErrorMessage = "Agents:OpenAI:MaxTokensParameter must be auto, max_tokens or max_completion_tokens")]
    public string MaxTokensParameter { get; set; } = "auto";

    /// <summary>Longest one HTTP attempt may take; a slower attempt is abandoned and tried again.</summary>
    [Range(1, 3_600)]
    public int AttemptTimeoutSeconds { get; set; } = 120;

    /// <summary>Retries of one call on 408, 5xx, timeouts and connection failures (not on 400, 401, 403, 404; 429s follow <see cref="RateLimitWaitSeconds"/>).</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 4;

    /// <summary>First backoff delay; later ones grow exponentially, with jitter.</summary>
    [Range(0, 60_000)]
    public int RetryDelayMilliseconds { get; set; } = 1_000;

    /// <summary>How long a call keeps retrying while the endpoint answers 429 (rate limited), counted from the first 429.</summary>
    [Range(0, 3_600)]
    public int RateLimitWaitSeconds { get; set; } = 180;

    /// <summary>Longest wait before a retry, including one asked for by <c>Retry-After</c>.</summary>
    [Range(1, 600)]
    public int MaxRetryDelaySeconds { get; set; } = 60;

    /// <summary>Calls in flight to this endpoint at most; halved on each burst of 429s, then raised again one by one.</summary>
    [Range(1, 256)]
    public int MaxConcurrentCalls { get; set; } = 12;

    /// <summary>Not read: present only so that a key put in configuration is refused at start-up.</summary>
    public string? ApiKey { get; set; }

    /// <summary>True when the section configures a provider at all.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(Model);
}
