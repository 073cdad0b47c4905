namespace CanvasLearning.Canvas;

// CONTRACT STUB: to be implemented (one writer per canvas, re-read, add, atomic replace).
public sealed class CanvasWriteBack
{
    /// <summary>
    /// Adds a <c>file</c> node for the explanation below its source node and an edge labelled with
    /// the agent type. Idempotent: when <see cref="ExplanationPlacement.FileNodeId"/> is already on
    /// the canvas nothing changes. Missing source node: the file node is still added, without edge.
    /// </summary>
    public Task AddExplanationAsync(string canvasFullPath, ExplanationPlacement placement, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();
}

/// <param name="FileVaultPath">Vault-relative path of the Markdown file, forward slashes.</param>
public sealed record ExplanationPlacement(string SourceNodeId, string FileNodeId, string EdgeId, string FileVaultPath, string AgentType);
