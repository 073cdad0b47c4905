namespace CanvasLearning.Agents;

/// <summary>
/// Produces the Markdown explanation of one concept. The seam between the offline provider
/// (built in, the default) and real model providers.
/// </summary>
public interface IAgentProvider
{
    /// <summary>Name used in configuration and in a session's <c>agent_provider</c>.</summary>
    string Name { get; }

    /// <summary>How long one call usually takes; used only to estimate completion times.</summary>
    TimeSpan TypicalCallDuration => TimeSpan.FromSeconds(30);

    Task<AgentResult> ExplainAsync(AgentRequest request, CancellationToken cancellationToken = default);
}

/// <summary>What an agent knows about the concept it explains.</summary>
/// <param name="AgentType">One of <see cref="AgentTypes"/>.</param>
/// <param name="NodeId">The canvas node's id.</param>
/// <param name="Text">The node's text (the concept or question).</param>
/// <param name="GroupConcepts">Texts of the other nodes in the same group, the first <see cref="MaxGroupConcepts"/>.</param>
/// <param name="ConnectedConcepts">Texts of nodes linked to this one by canvas edges, with the edge label when there is one.</param>
/// <param name="CanvasName">The canvas file name without extension, for context.</param>
public sealed record AgentRequest(
    string AgentType,
    string NodeId,
    string Text,
    IReadOnlyList<string> GroupConcepts,
    IReadOnlyList<string> ConnectedConcepts,
    string CanvasName)
{
    /// <summary>Most other concepts of the group an agent is given.</summary>
    public const int MaxGroupConcepts = 20;
}

/// <summary>The Markdown an agent produced, with what it cost.</summary>
public sealed record AgentResult(string Markdown, string Model, int TokensIn = 0, int TokensOut = 0);

/// <summary>A failure an agent reports, with a machine-readable type (<c>timeout</c>, <c>bad_request</c>, ...).</summary>
public sealed class AgentException(string errorType, string message, bool transient, Exception? inner = null)
    : Exception(message, inner)
{
    public string ErrorType { get; } = errorType;

    /// <summary>True when trying again may succeed (the engine retries these).</summary>
    public bool Transient { get; } = transient;
}
