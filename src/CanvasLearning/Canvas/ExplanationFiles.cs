namespace CanvasLearning.Canvas;

// CONTRACT STUB: to be implemented (where explanation files go and what they are called).
public static class ExplanationFiles
{
    /// <summary><c>{canvas dir}/{canvas name}-explanations</c>.</summary>
    public static string DirectoryFor(string canvasFullPath) => throw new NotImplementedException();

    /// <summary>
    /// A safe, length-limited file name (with .md) from the agent type and the node text, unique
    /// against <paramref name="taken"/> (case-insensitive); the name returned is added to it.
    /// </summary>
    public static string PlanUnique(string agentType, string nodeText, ISet<string> taken) => throw new NotImplementedException();

    /// <summary>A stable 16-hex-digit id derived from the parts (for canvas node and edge ids).</summary>
    public static string StableId(params string[] parts) => throw new NotImplementedException();
}
