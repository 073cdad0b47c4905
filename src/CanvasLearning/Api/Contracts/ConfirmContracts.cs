using CanvasLearning.Grouping;

namespace CanvasLearning.Api.Contracts;

/// <summary>Body of <c>POST /confirm</c>: the groups the user accepted, maybe changed.</summary>
/// <param name="MaxConcurrent">Agent calls of this session at once (1..50); never more than the server's <c>Engine:MaxConcurrentNodes</c>.</param>
/// <param name="Timeout">
/// Seconds the session may run (60..3600, default 600), counted from when its first node starts its
/// agent call: time spent queued behind other sessions before that does not count. Nodes unfinished
/// when it runs out fail with <c>error_type</c> <c>timeout</c>.
/// </param>
/// <param name="Regenerate">Write the explanations of nodes that have one again, in place (same file, same canvas node).</param>
public sealed record ConfirmRequest(
    string? CanvasPath,
    IReadOnlyList<ConfirmGroup>? Groups,
    int? MaxConcurrent = null,
    int? Timeout = null,
    string? AgentProvider = null,
    bool? Regenerate = null);

public sealed record ConfirmGroup(string? GroupId, string? AgentType, IReadOnlyList<string>? NodeIds);

public sealed record ConfirmResponse(
    string SessionId,
    string Status,
    int TotalGroups,
    int TotalNodes,
    DateTimeOffset CreatedAt,
    DateTimeOffset EstimatedCompletion,
    string WebsocketUrl)
{
    /// <summary>Nodes of the request not in the session (already explained, being explained, empty), with the reason.</summary>
    public IReadOnlyList<SkippedNode> SkippedNodes { get; init; } = [];
}

public sealed record CancelResponse(bool Success, string Message, int CompletedCount);

public sealed record SingleAgentRequest(string? NodeId, string? AgentType, string? CanvasPath);

public sealed record SingleAgentResponse(string NodeId, string? FilePath, string Status, string? ErrorMessage);
