namespace CanvasLearning.Agents;

/// <summary>The explanation agents a group can be routed to (DESIGN.md).</summary>
public static class AgentTypes
{
    public const string ComparisonTable = "comparison-table";
    public const string OralExplanation = "oral-explanation";
    public const string MemoryAnchor = "memory-anchor";
    public const string ExampleTeaching = "example-teaching";
    public const string ClarificationPath = "clarification-path";
    public const string DeepDecomposition = "deep-decomposition";
    public const string FourLevelExplanation = "four-level-explanation";
    public const string BasicDecomposition = "basic-decomposition";

    public static IReadOnlyList<string> All { get; } =
    [
        ComparisonTable, OralExplanation, MemoryAnchor, ExampleTeaching,
        ClarificationPath, DeepDecomposition, FourLevelExplanation, BasicDecomposition,
    ];

    public static bool IsKnown(string? agentType) =>
        agentType is not null && All.Contains(agentType, StringComparer.Ordinal);
}
