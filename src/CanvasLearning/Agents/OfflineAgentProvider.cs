namespace CanvasLearning.Agents;

// CONTRACT STUB: to be implemented (deterministic Markdown study scaffolds, no network).
public sealed class OfflineAgentProvider : IAgentProvider
{
    public string Name => "offline";

    public Task<AgentResult> ExplainAsync(AgentRequest request, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();
}
