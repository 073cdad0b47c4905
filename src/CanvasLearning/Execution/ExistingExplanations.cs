using CanvasLearning.Canvas;
using CanvasLearning.Grouping;
using CanvasLearning.Sessions;

namespace CanvasLearning.Execution;

/// <summary>
/// The explanations a canvas's concepts already have, so a second run updates instead of
/// duplicating. A node is explained when the canvas shows our file node for it (a file in the
/// canvas's explanations folder, reached by an edge from the node) or a session recorded one,
/// and the file is on disk. A node a pending or running session is working on is being explained.
/// </summary>
public sealed class ExistingExplanations
{
    public const string AlreadyExplained = "already_explained";
    public const string BeingExplained = "being_explained";

    private readonly Dictionary<string, Entry> _entries;

    private ExistingExplanations(Dictionary<string, Entry> entries) => _entries = entries;

    public static async Task<ExistingExplanations> LoadAsync(
        CanvasDocument canvas, string canvasFullPath, Vault vault, ISessionStore store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(canvas);
        ArgumentNullException.ThrowIfNull(vault);
        ArgumentNullException.ThrowIfNull(store);
        var folder = vault.ToRelative(ExplanationFiles.DirectoryFor(canvasFullPath));
        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);

        // Newest session first: the first record of a node is its latest.
        foreach (var output in await store.ListOutputsAsync(vault.ToRelative(canvasFullPath), cancellationToken))
        {
            if (entries.ContainsKey(output.NodeId))
            {
                continue;
            }

            if (output.InFlight)
            {
                entries[output.NodeId] = new Entry(output.FilePath, BeingExplained);
            }
            else if (File.Exists(Path.Combine(vault.Root, output.FilePath)))
            {
                entries[output.NodeId] = new Entry(output.FilePath, AlreadyExplained);
            }
        }

        // What the canvas shows wins over a record: the learner sees that file next to the concept.
        foreach (var (nodeId, explanation) in ExplainedNodes.ExplanationsIn(canvas, folder))
        {
            if (explanation.File is { } file && entries.GetValueOrDefault(nodeId)?.Reason != BeingExplained)
            {
                var onDisk = File.Exists(Path.Combine(vault.Root, file));

                // A file node whose note was deleted is not an explanation, but it is where the new one goes.
                entries[nodeId] = new Entry(file, onDisk ? AlreadyExplained : null);
            }
        }

        return new ExistingExplanations(entries);
    }

    /// <summary>Why the node needs no agent call now, or null. With <paramref name="regenerate"/> only work in flight is a reason.</summary>
    public SkippedNode? Skip(string nodeId, bool regenerate)
    {
        if (!_entries.TryGetValue(nodeId, out var entry) || entry.Reason is null || (regenerate && entry.Reason == AlreadyExplained))
        {
            return null;
        }

        return entry.Reason == BeingExplained
            ? new SkippedNode(nodeId, BeingExplained, $"a session that has not finished is writing '{entry.FilePath}'; wait for it or cancel it", entry.FilePath)
            : new SkippedNode(nodeId, AlreadyExplained, $"already explained in '{entry.FilePath}'; ask to regenerate to write it again in place", entry.FilePath);
    }

    /// <summary>The file a new explanation of the node replaces in place (its canvas node and edge stay), or null for a new file.</summary>
    public string? FileFor(string nodeId) => _entries.GetValueOrDefault(nodeId)?.FilePath;

    /// <summary>Every node explained already, in no particular order.</summary>
    public IReadOnlyList<ExplainedNode> Explained(IEnumerable<string> nodeIds) =>
        nodeIds.Where(id => _entries.GetValueOrDefault(id)?.Reason == AlreadyExplained)
            .Select(id => new ExplainedNode(id, _entries[id].FilePath))
            .ToList();

    private sealed record Entry(string FilePath, string? Reason);
}
