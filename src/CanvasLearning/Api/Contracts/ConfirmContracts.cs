using CanvasLearning.Grouping;

namespace CanvasLearning.Api.Contracts;

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
