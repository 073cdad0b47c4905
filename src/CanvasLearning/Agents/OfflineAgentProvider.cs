using CanvasLearning.Agents.Offline;
using Microsoft.Extensions.Options;

namespace CanvasLearning.Agents;

/// <summary>
/// The built-in provider, and the default on a machine with no network: a deterministic
/// Markdown study scaffold per agent type, in the learner's language, marked as generated
/// offline. No model runs, so <see cref="AgentResult.TokensIn"/> and
/// <see cref="AgentResult.TokensOut"/> are always 0 and token totals stay honest.
/// </summary>
public sealed class OfflineAgentProvider(IOptions<OfflineAgentOptions> options, TimeProvider timeProvider) : IAgentProvider
{
    public const string ModelName = "offline-v1";

    private readonly TimeSpan _latency = TimeSpan.FromMilliseconds(options.Value.SimulatedLatencyMilliseconds);

    public OfflineAgentProvider()
        : this(Options.Create(new OfflineAgentOptions()), TimeProvider.System)
    {
    }

    public TimeSpan TypicalCallDuration => _latency > TimeSpan.Zero ? _latency : TimeSpan.FromMilliseconds(50);

    public string Name => "offline";

    /// <remarks>
    /// Completes synchronously unless a simulated latency is set. Cancellation and a bad agent type come back as a cancelled or
    /// faulted task, as from an async provider, so callers handle both kinds the same way.
    /// </remarks>
    public Task<AgentResult> ExplainAsync(AgentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<AgentResult>(cancellationToken);
        }

        if (!AgentTypes.IsKnown(request.AgentType))
        {
            return Task.FromException<AgentResult>(new AgentException(
                "bad_request",
                $"unknown agent type '{request.AgentType}'; use one of: {string.Join(", ", AgentTypes.All)}",
                transient: false));
        }

        var result = new AgentResult(OfflineScaffold.Render(request), ModelName);
        return _latency > TimeSpan.Zero ? DelayedAsync(result, cancellationToken) : Task.FromResult(result);
    }

    private async Task<AgentResult> DelayedAsync(AgentResult result, CancellationToken cancellationToken)
    {
        await Task.Delay(_latency, timeProvider, cancellationToken);
        return result;
    }
}
