using System.Net;

namespace CanvasLearning.Agents.OpenAi;

/// <summary>
/// Sits inside the retry loop, so every HTTP attempt passes the <see cref="ConcurrencyGate"/> and
/// tells it how the endpoint answered.
/// </summary>
internal sealed class RateLimitHandler(ConcurrencyGate gate, AgentMetrics metrics, TimeProvider time, ILogger<RateLimitHandler> logger) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var lease = await gate.EnterAsync(cancellationToken);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            metrics.RateLimited();
            var (throttled, limit, pause) = gate.RateLimited(OpenAiRetry.AskedDelay(response, time));
            if (throttled)
            {
                OpenAiLog.RateLimited(logger, limit, (long)pause.TotalMilliseconds);
            }
        }
        else
        {
            gate.Answered(response.IsSuccessStatusCode);
        }

        return response;
    }
}
