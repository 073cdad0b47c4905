namespace CanvasLearning.Grouping;

/// <summary>Body of <c>POST /api/v1/canvas/intelligent-parallel</c>.</summary>
public sealed record AnalyzeRequest(string? CanvasPath, string? TargetColor = "3", int? MaxGroups = null, int? MinNodesPerGroup = 2);

public sealed record AnalyzeResponse(
    string CanvasPath,
    int TotalNodes,
    IReadOnlyList<AnalyzedGroup> Groups,
    int EstimatedDuration,
    string? ResourceWarning,
    double SilhouetteScore,
    int RecommendedK)
{
    /// <summary>Marked nodes left out of the groups (empty, embed only), with the reason.</summary>
    public IReadOnlyList<SkippedNode> SkippedNodes { get; init; } = [];

    /// <summary>Nodes of the groups that already have an explanation of ours; confirm skips them unless asked to regenerate.</summary>
    public IReadOnlyList<ExplainedNode> AlreadyExplained { get; init; } = [];
}

public sealed record AnalyzedGroup(
    string GroupId,
    string GroupName,
    string GroupEmoji,
    IReadOnlyList<AnalyzedNode> Nodes,
    string RecommendedAgent,
    double Confidence,
    string Priority);

public sealed record AnalyzedNode(string NodeId, string Text);

/// <summary>Validated analysis settings.</summary>
/// <param name="TargetColor">Canvas color of the nodes to explain ("1".."6" or "#rrggbb").</param>
/// <param name="MaxGroups">Fixed number of groups; null lets silhouette choose k.</param>
/// <param name="MinNodesPerGroup">Groups smaller than this are merged into their nearest group.</param>
public sealed record AnalyzeOptions(string TargetColor = "3", int? MaxGroups = null, int MinNodesPerGroup = 2);

/// <summary>A node not sent to an agent, and why.</summary>
/// <param name="Reason"><c>empty_text</c>, <c>embed_only</c>, <c>already_explained</c> or <c>being_explained</c>.</param>
/// <param name="FilePath">The explanation it already has (vault-relative), when that is the reason.</param>
public sealed record SkippedNode(string NodeId, string Reason, string Message, string? FilePath);

/// <summary>A node that already has an explanation of ours, and where.</summary>
public sealed record ExplainedNode(string NodeId, string FilePath);
