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
    int RecommendedK);

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
