using System.Text;
using CanvasLearning.Agents;
using CanvasLearning.Canvas;

namespace CanvasLearning.Execution;

/// <summary>Puts an explanation where the learner finds it: the Markdown file, then its node and edge on the canvas.</summary>
public sealed class ExplanationWriter(Vault vault, CanvasWriteBack writeBack)
{
    /// <param name="idSeed">Makes the canvas ids stable: writing the same explanation twice adds it once.</param>
    /// <returns>The file's size in bytes.</returns>
    public async Task<long> WriteAsync(
        string canvasFullPath, string fileVaultPath, string sourceNodeId, string agentType, string idSeed, string markdown,
        CancellationToken cancellationToken = default)
    {
        var (size, placement) = await WriteFileAsync(fileVaultPath, sourceNodeId, agentType, idSeed, markdown, cancellationToken);
        await writeBack.AddExplanationAsync(canvasFullPath, placement, cancellationToken);
        return size;
    }

    /// <summary>The Markdown file only; returns what to add to the canvas for it (<see cref="AddToCanvasAsync"/>).</summary>
    public async Task<(long Size, ExplanationPlacement Placement)> WriteFileAsync(
        string fileVaultPath, string sourceNodeId, string agentType, string idSeed, string markdown, CancellationToken cancellationToken = default)
    {
        var fullPath = Path.GetFullPath(Path.Combine(vault.Root, fileVaultPath));
        var folder = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(folder);
        if (!vault.Contains(folder))
        {
            // The explanations folder is a link out of the vault: writing there would leave the vault.
            throw new AgentException("path_outside_vault",
                $"'{Path.GetDirectoryName(fileVaultPath)}' resolves outside the vault; replace the link with a folder, then retry", transient: false);
        }

        await AtomicFile.WriteNewTextAsync(fullPath, markdown, cancellationToken);
        var placement = new ExplanationPlacement(
            sourceNodeId,
            ExplanationFiles.StableId(idSeed, sourceNodeId, "file"),
            ExplanationFiles.StableId(idSeed, sourceNodeId, "edge"),
            fileVaultPath,
            agentType);
        return (Encoding.UTF8.GetByteCount(markdown), placement);
    }

    /// <summary>Announces an explanation on its way to the canvas (<see cref="CanvasWriteBack.Expect"/>).</summary>
    public CanvasWriteBack.ExpectedPlacement Expect(string canvasFullPath) => writeBack.Expect(canvasFullPath);

    /// <summary>The file node and edge of an explanation written by <see cref="WriteFileAsync"/>; writes of many nodes are coalesced.</summary>
    /// <param name="canvasFullPath">The canvas file.</param>
    /// <param name="placement">What to add.</param>
    /// <param name="expected">Its announcement (<see cref="Expect"/>), if any: settled once it is queued.</param>
    /// <param name="cancellationToken">Withdraws the placement while no write has taken it.</param>
    public Task AddToCanvasAsync(string canvasFullPath, ExplanationPlacement placement, CanvasWriteBack.ExpectedPlacement? expected, CancellationToken cancellationToken = default) =>
        writeBack.AddExplanationsAsync(canvasFullPath, [placement], expected, cancellationToken);
}
