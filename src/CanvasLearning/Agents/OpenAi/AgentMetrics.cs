using System.Diagnostics.Metrics;

namespace CanvasLearning.Agents.OpenAi;

/// <summary>
/// What the model provider costs and how it behaves: calls by outcome, retries by reason, 429s,
/// tokens, call durations and the adaptive concurrency limit. Published on the
/// <c>CanvasLearning.Agents</c> meter and readable here.
/// </summary>
public sealed class AgentMetrics
{
    public const string MeterName = "CanvasLearning.Agents";

    private readonly Meter _meter;
    private readonly Counter<long> _calls;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _tokens;
    private readonly Histogram<double> _duration;
    private long _retryCount;
    private long _rateLimitedCount;

    /// <param name="meterFactory">Gives each host its own meter, so listeners can tell servers in one process apart.</param>
    public AgentMetrics(ConcurrencyGate gate, IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meter = meterFactory.Create(MeterName);
        _calls = _meter.CreateCounter<long>("canvas_learning.agent.calls", description: "Agent calls by provider and outcome (succeeded or the error type)");
        _retries = _meter.CreateCounter<long>("canvas_learning.agent.retries", description: "HTTP attempts tried again, by reason (status code, timeout, connection)");
        _tokens = _meter.CreateCounter<long>("canvas_learning.agent.tokens", unit: "{token}", description: "Tokens sent (in) and received (out)");
        _duration = _meter.CreateHistogram<double>("canvas_learning.agent.call.duration", unit: "s", description: "Agent call duration, retries included");
        _meter.CreateObservableCounter("canvas_learning.agent.rate_limited", () => RateLimitedResponses, description: "429 answers from the provider");
        _meter.CreateObservableGauge("canvas_learning.agent.concurrency_limit", () => gate.Limit, description: "Calls the provider may have in flight now (halved on 429, raised on success)");
    }

    /// <summary>HTTP attempts tried again since start.</summary>
    public long Retries => Interlocked.Read(ref _retryCount);

    /// <summary>429 answers since start.</summary>
    public long RateLimitedResponses => Interlocked.Read(ref _rateLimitedCount);

    internal void Retried(string provider, string reason)
    {
        Interlocked.Increment(ref _retryCount);
        _retries.Add(1, new("provider", provider), new("reason", reason));
    }

    internal void RateLimited() => Interlocked.Increment(ref _rateLimitedCount);

    internal void Called(string provider, string outcome, TimeSpan duration, long tokensIn, long tokensOut)
    {
        _calls.Add(1, new("provider", provider), new("outcome", outcome));
        _duration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("provider", provider));
        if (tokensIn > 0)
        {
            _tokens.Add(tokensIn, new("provider", provider), new("direction", "in"));
        }

        if (tokensOut > 0)
        {
            _tokens.Add(tokensOut, new("provider", provider), new("direction", "out"));
        }
    }
}
