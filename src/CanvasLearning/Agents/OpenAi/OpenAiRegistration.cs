using System.ClientModel;
using System.ClientModel.Primitives;
using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using OpenAI;
using Polly;
using Polly.Timeout;

namespace CanvasLearning.Agents.OpenAi;

/// <summary>
/// Registers the OpenAI-compatible provider when <c>Agents:OpenAI:Model</c> is set. Its HTTP
/// pipeline, outermost first: retries with exponential backoff and jitter that honour
/// <c>Retry-After</c> (429, 408, 5xx, timeouts, connection failures; never 400, 401 or 404), a
/// timeout per attempt, then the adaptive <see cref="ConcurrencyGate"/>. The OpenAI SDK's own
/// retries are switched off so that a call is retried in one place only.
/// </summary>
public static class OpenAiRegistration
{
    public const string HttpClientName = "openai-agent";

    private const string MissingKeyPlaceholder = "no-key";

    public static IServiceCollection AddOpenAiAgent(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(OpenAiAgentOptions.Section);
        services.AddOptions<OpenAiAgentOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<OpenAiAgentOptions>, OpenAiAgentOptionsValidator>();
        if (string.IsNullOrWhiteSpace(section[nameof(OpenAiAgentOptions.Model)]))
        {
            return services;
        }

        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<OpenAiAgentOptions>>().Value;
            return new ConcurrencyGate(o.MaxConcurrentCalls, TimeSpan.FromSeconds(o.MaxRetryDelaySeconds), sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<AgentMetrics>();
        services.AddTransient<RateLimitHandler>();

        // Polly logs every handled attempt as a warning; our retry line (3001) says the same once.
        // Configuration (Logging:LogLevel:Polly) can still raise it.
        services.AddLogging(logging => logging.AddFilter("Polly", LogLevel.Error));
        var http = services.AddHttpClient(HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan);
        http.ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
        {
            // The client lives as long as the provider: recycle connections so DNS changes are seen.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(15),
        });
        http.AddResilienceHandler(HttpClientName, (pipeline, context) =>
        {
            var o = context.ServiceProvider.GetRequiredService<IOptions<OpenAiAgentOptions>>().Value;
            if (o.MaxRetries > 0)
            {
                pipeline.AddRetry(RetryOptions(o, context.ServiceProvider));
            }

            pipeline.AddTimeout(TimeSpan.FromSeconds(o.AttemptTimeoutSeconds));
        });

        // Added after the resilience handler, so it runs inside it: once per attempt.
        http.AddHttpMessageHandler<RateLimitHandler>();
        services.AddSingleton<IAgentProvider>(Create);
        return services;
    }

    private static HttpRetryStrategyOptions RetryOptions(OpenAiAgentOptions o, IServiceProvider services)
    {
        var metrics = services.GetRequiredService<AgentMetrics>();
        var logger = services.GetRequiredService<ILogger<OpenAiAgentProvider>>();
        return new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = o.MaxRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(o.RetryDelayMilliseconds),
            MaxDelay = TimeSpan.FromSeconds(o.MaxRetryDelaySeconds),
            ShouldRetryAfterHeader = true,
            OnRetry = args =>
            {
                var reason = args.Outcome switch
                {
                    { Result: { } response } => ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture),
                    { Exception: TimeoutRejectedException } => "timeout",
                    { Exception: { } ex } => ex is HttpRequestException { StatusCode: null } ? "connection" : ex.GetType().Name,
                    _ => "unknown",
                };
                metrics.Retried(OpenAiAgentProvider.ProviderName, reason);
                OpenAiLog.Retrying(logger, OpenAiAgentProvider.ProviderName, args.AttemptNumber + 1, reason, (long)args.RetryDelay.TotalMilliseconds);
                return default;
            },
        };
    }

    private static OpenAiAgentProvider Create(IServiceProvider services)
    {
        var o = services.GetRequiredService<IOptions<OpenAiAgentOptions>>().Value;
        var key = Environment.GetEnvironmentVariable(o.ApiKeyVariable);
        var http = services.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName);
        var client = new OpenAIClient(new ApiKeyCredential(string.IsNullOrEmpty(key) ? MissingKeyPlaceholder : key), new OpenAIClientOptions
        {
            Endpoint = new Uri(o.BaseUrl),
            Transport = new HttpClientPipelineTransport(http),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = Timeout.InfiniteTimeSpan,
        });
        var logger = services.GetRequiredService<ILogger<OpenAiAgentProvider>>();
        OpenAiLog.Configured(logger, OpenAiAgentProvider.ProviderName, o.Model!, o.BaseUrl, o.MaxConcurrentCalls, o.ApiKeyVariable,
            string.IsNullOrEmpty(key) ? "not set" : "set");
        return new OpenAiAgentProvider(
            client.GetChatClient(o.Model).AsIChatClient(),
            services.GetRequiredService<IOptions<OpenAiAgentOptions>>(),
            services.GetRequiredService<AgentMetrics>(),
            services.GetRequiredService<TimeProvider>(),
            logger);
    }
}
