using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using OpenAI;
using Polly;

namespace CanvasLearning.Agents.OpenAi;

/// <summary>
/// Registers the OpenAI-compatible provider when <c>Agents:OpenAI:Model</c> is set. Its HTTP
/// pipeline, outermost first: retries (<see cref="OpenAiRetry"/>), the adaptive
/// <see cref="ConcurrencyGate"/>, a timeout per attempt, reading the whole body
/// (<see cref="BufferingHandler"/>) and the token-limit field (<see cref="TokenLimitFieldHandler"/>).
/// The OpenAI SDK's own retries are switched off so that a call is retried in one place only.
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
        services.AddTransient<BufferingHandler>();
        services.AddTransient<TokenLimitFieldHandler>();
        var http = services.AddHttpClient(HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan);
        http.ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
        {
            // The client lives as long as the provider: recycle connections so DNS changes are seen.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(15),
        });

        // Outermost first: the retries; the gate, so waiting for a slot is not part of an attempt;
        // the attempt timeout; reading the whole body, so a stalled body is a timed-out attempt too.
        http.AddResilienceHandler(HttpClientName + "-retry", (pipeline, context) =>
        {
            var o = context.ServiceProvider.GetRequiredService<IOptions<OpenAiAgentOptions>>().Value;
            pipeline.AddRetry(OpenAiRetry.Options(o, context.ServiceProvider));
        });
        http.AddHttpMessageHandler<RateLimitHandler>();
        http.AddResilienceHandler(HttpClientName + "-attempt", (pipeline, context) =>
        {
            var o = context.ServiceProvider.GetRequiredService<IOptions<OpenAiAgentOptions>>().Value;
            pipeline.AddTimeout(TimeSpan.FromSeconds(o.AttemptTimeoutSeconds));
        });
        http.AddHttpMessageHandler<BufferingHandler>();
        http.AddHttpMessageHandler<TokenLimitFieldHandler>();
        services.AddSingleton<IAgentProvider>(Create);
        return services;
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
