using System.Globalization;
using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;

namespace CanvasLearning.Agents.OpenAi;

/// <summary>
/// When an HTTP attempt is tried again. 408, 5xx, timeouts and connection failures: up to
/// <see cref="OpenAiAgentOptions.MaxRetries"/> times with exponential backoff and jitter. 429: for as
/// long as <see cref="OpenAiAgentOptions.RateLimitWaitSeconds"/> allows, after the delay its
/// <c>Retry-After</c> asks for (capped at <see cref="OpenAiAgentOptions.MaxRetryDelaySeconds"/>), so a
/// throttled node waits instead of failing; unless the 429 says the quota is used up. Never 400,
/// 401, 403 or 404.
/// </summary>
internal static class OpenAiRetry
{
    private static readonly ResiliencePropertyKey<long> FirstRateLimit = new("canvas-learning.first-429");
    private static readonly ResiliencePropertyKey<int> OtherRetries = new("canvas-learning.other-retries");

    public static HttpRetryStrategyOptions Options(OpenAiAgentOptions o, IServiceProvider services)
    {
        var metrics = services.GetRequiredService<AgentMetrics>();
        var logger = services.GetRequiredService<ILogger<OpenAiAgentProvider>>();
        var time = services.GetRequiredService<TimeProvider>();
        var maxDelay = TimeSpan.FromSeconds(o.MaxRetryDelaySeconds);
        return new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(o.RetryDelayMilliseconds),
            MaxDelay = maxDelay,

            // Polly's own Retry-After support is not capped by MaxDelay; this one is.
            ShouldRetryAfterHeader = false,
            DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, time, maxDelay)),
            ShouldHandle = args => ShouldRetryAsync(args.Outcome, args.Context, o, time),
            OnRetry = args =>
            {
                var reason = Reason(args.Outcome);
                metrics.Retried(OpenAiAgentProvider.ProviderName, reason);
                OpenAiLog.Retrying(logger, OpenAiAgentProvider.ProviderName, args.AttemptNumber + 1, reason, (long)args.RetryDelay.TotalMilliseconds);
                return default;
            },
        };
    }

    private static async ValueTask<bool> ShouldRetryAsync(Outcome<HttpResponseMessage> outcome, ResilienceContext context, OpenAiAgentOptions o, TimeProvider time)
    {
        if (outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests } limited)
        {
            if (await IsQuotaExhaustedAsync(limited, context.CancellationToken))
            {
                return false;
            }

            var now = time.GetTimestamp();
            if (!context.Properties.TryGetValue(FirstRateLimit, out var first))
            {
                context.Properties.Set(FirstRateLimit, first = now);
            }

            return time.GetElapsedTime(first, now) < TimeSpan.FromSeconds(o.RateLimitWaitSeconds);
        }

        var transient = HttpClientResiliencePredicates.IsTransient(outcome)
            || outcome.Exception is TaskCanceledException { InnerException: TimeoutException } // SocketsHttpHandler.ConnectTimeout
            || outcome.Exception is HttpIOException or IOException;
        if (!transient)
        {
            return false;
        }

        // Counted apart from the 429s, which have their own budget.
        var retried = context.Properties.GetValue(OtherRetries, 0);
        if (retried >= o.MaxRetries)
        {
            return false;
        }

        context.Properties.Set(OtherRetries, retried + 1);
        return true;
    }

    /// <summary>OpenAI answers 429 with the code <c>insufficient_quota</c> when the account is out of credit: waiting does not help.</summary>
    internal static async ValueTask<bool> IsQuotaExhaustedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            // Bytes, not text: a charset .NET does not know must not turn a 429 into a crash.
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return body.AsSpan().IndexOf("insufficient_quota"u8) >= 0;
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or ObjectDisposedException)
        {
            return false;
        }
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeProvider time, TimeSpan max) =>
        AskedDelay(response, time) is { } asked ? (asked > max ? max : asked) : null;

    /// <summary>
    /// The wait a <c>Retry-After</c> header asks for (seconds or a date), or null when there is none
    /// or it is zero or past: then the backoff (or the gate's default pause) applies, not a tight loop.
    /// </summary>
    internal static TimeSpan? AskedDelay(HttpResponseMessage? response, TimeProvider time)
    {
        var asked = response?.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - time.GetUtcNow(),
            _ => (TimeSpan?)null,
        };
        return asked > TimeSpan.Zero ? asked : null;
    }

    private static string Reason(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Result: { } response } => ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture),
        { Exception: TimeoutRejectedException or TaskCanceledException { InnerException: TimeoutException } } => "timeout",
        { Exception: HttpRequestException { StatusCode: null } or IOException } => "connection",
        { Exception: { } ex } => ex.GetType().Name,
        _ => "unknown",
    };
}
