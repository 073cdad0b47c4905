using CanvasLearning.Canvas.Placement;

namespace CanvasLearning.Canvas;

/// <param name="FileVaultPath">Vault-relative path of the Markdown file, forward slashes.</param>
/// <param name="Spot">Where the session's plan put the file node (<see cref="ExplanationPlan"/>); taken when it still holds, else searched afresh.</param>
/// <param name="Plan">The plan <paramref name="Spot"/> comes from: the writer may start from its index of the canvas.</param>
public sealed record ExplanationPlacement(
    string SourceNodeId, string FileNodeId, string EdgeId, string FileVaultPath, string AgentType, PlannedSpot? Spot = null, ExplanationPlan? Plan = null);
