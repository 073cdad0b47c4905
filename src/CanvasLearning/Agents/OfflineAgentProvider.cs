using CanvasLearning.Agents.Offline;

namespace CanvasLearning.Agents;

/// <summary>
/// The built-in provider, and the default on a machine with no network: a deterministic
/// Markdown study scaffold per agent type, in the learner's language, marked as generated
/// offline. No model runs, so <see cref="AgentResult.TokensIn"/> and
/// <see cref="AgentResult.TokensOut"/> are always 0 and token totals stay honest.
/// </summary>
public sealed class OfflineAgentProvider : IAgentProvider
{
    public const string ModelName = "offline-v1";

    public string Name => "offline";

    /// <remarks>
    /// Completes synchronously. Cancellation and a bad agent type come back as a cancelled or
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

        return Task.FromResult(new AgentResult(OfflineScaffold.Render(request), ModelName));
    }
}
