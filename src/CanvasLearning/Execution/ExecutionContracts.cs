namespace CanvasLearning.Execution;

// What the engine is asked to do, as the REST API and the CLI's local runs say it (the JSON names are
// the snake_case of these properties); the answers the API gives are in Api.Contracts.

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

/// <summary>Body of <c>POST /api/v1/canvas/single-agent</c>: one node explained now, outside a session.</summary>
public sealed record SingleAgentRequest(string? NodeId, string? AgentType, string? CanvasPath);

public sealed record SingleAgentResponse(string NodeId, string? FilePath, string Status, string? ErrorMessage);
