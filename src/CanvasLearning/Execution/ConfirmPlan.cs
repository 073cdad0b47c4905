using CanvasLearning.Agents;
using CanvasLearning.Canvas;
using CanvasLearning.Grouping;
using CanvasLearning.Sessions;

namespace CanvasLearning.Execution;

/// <summary>Checks a confirm request against the canvas and plans every node's output file.</summary>
internal static class ConfirmPlan
{
    public const int MinTimeout = 60;
    public const int MaxTimeout = 3600;
    public const int DefaultTimeout = 600;
    public const int MaxConcurrentLimit = 50;

    public static void ValidateShape(ConfirmRequest request, AgentProviders providers, int maxNodes)
    {
        var errors = new FieldErrors();
        if (string.IsNullOrWhiteSpace(request.CanvasPath))
        {
            errors.Add("canvas_path", "is required (a .canvas file relative to the vault root)");
        }

        if (request.MaxConcurrent is < 1 or > MaxConcurrentLimit)
        {
            errors.Add("max_concurrent", $"must be between 1 and {MaxConcurrentLimit}");
        }

        if (request.Timeout is < MinTimeout or > MaxTimeout)
        {
            errors.Add("timeout", $"must be between {MinTimeout} and {MaxTimeout} seconds");
        }

        if (request.AgentProvider is { } provider && providers.Find(provider) is null)
        {
            errors.Add("agent_provider", $"unknown provider '{provider}'; use one of: {string.Join(", ", providers.Names)}");
        }

        if (request.Groups is not { Count: > 0 } groups)
        {
            errors.Add("groups", "must list at least one group");
            errors.ThrowIfAny();
            return;
        }

        var seenGroups = new HashSet<string>(StringComparer.Ordinal);
        var seenNodes = new HashSet<string>(StringComparer.Ordinal);
        for (var g = 0; g < groups.Count; g++)
        {
            var group = groups[g];
            if (group is null)
            {
                errors.Add($"groups[{g}]", "must be an object");
                continue;
            }

            if (string.IsNullOrWhiteSpace(group.GroupId) || group.GroupId.Length > 64)
            {
                errors.Add($"groups[{g}].group_id", "is required, at most 64 characters");
            }
            else if (!seenGroups.Add(group.GroupId))
            {
                errors.Add($"groups[{g}].group_id", $"'{group.GroupId}' appears twice");
            }

            if (!AgentTypes.IsKnown(group.AgentType))
            {
                errors.Add($"groups[{g}].agent_type", $"must be one of: {string.Join(", ", AgentTypes.All)}");
            }

            if (group.NodeIds is not { Count: > 0 } nodeIds)
            {
                errors.Add($"groups[{g}].node_ids", "must list at least one node id");
                continue;
            }

            for (var n = 0; n < nodeIds.Count; n++)
            {
                if (string.IsNullOrWhiteSpace(nodeIds[n]))
                {
                    errors.Add($"groups[{g}].node_ids[{n}]", "must be a node id");
                }
                else if (!seenNodes.Add(nodeIds[n]))
                {
                    errors.Add($"groups[{g}].node_ids[{n}]", $"node '{nodeIds[n]}' is listed twice; a node belongs to one group");
                }
            }
        }

        if (seenNodes.Count > maxNodes)
        {
            errors.Add("groups", $"hold {seenNodes.Count} nodes, more than the {maxNodes} one session may hold (setting Engine:MaxNodesPerSession); "
                + $"confirm them as {(seenNodes.Count + maxNodes - 1) / maxNodes} sessions of at most {maxNodes} nodes each (the command line does it with "
                + $"'run --max-per-session {maxNodes}'), or raise Engine:MaxNodesPerSession");
        }

        errors.ThrowIfAny();
    }

    /// <summary>
    /// Matches the node ids with the canvas and plans a file per node: the one it already has (so
    /// a regenerated explanation replaces it in place) or a new unique one. Nodes with nothing to
    /// explain, and explained ones unless <see cref="ConfirmRequest.Regenerate"/>, are skipped.
    /// </summary>
    /// <param name="taken">File names already used in the canvas's explanations folder; the planned ones are added.</param>
    public static (IReadOnlyList<NewSessionNode> Nodes, IReadOnlyList<SkippedNode> Skipped) PlanNodes(
        ConfirmRequest request, CanvasDocument canvas, string canvasFullPath, Vault vault, ISet<string> taken, ExistingExplanations existing)
    {
        var errors = new FieldErrors();
        var directory = ExplanationFiles.DirectoryFor(canvasFullPath);
        var nodes = new List<NewSessionNode>();
        var skipped = new List<SkippedNode>();
        for (var g = 0; g < request.Groups!.Count; g++)
        {
            var group = request.Groups[g];
            for (var n = 0; n < group.NodeIds!.Count; n++)
            {
                var node = canvas.FindNode(group.NodeIds[n]);
                if (node is null)
                {
                    errors.Add($"groups[{g}].node_ids[{n}]", $"node '{group.NodeIds[n]}' is not on the canvas");
                    continue;
                }

                if (node.Type != "text")
                {
                    errors.Add($"groups[{g}].node_ids[{n}]", $"node '{node.Id}' is a {node.Type} node; only text nodes are explained");
                    continue;
                }

                if ((ConceptSelection.Skip(node.Id, node.Text) ?? existing.Skip(node.Id, request.Regenerate == true)) is { } skip)
                {
                    skipped.Add(skip);
                    continue;
                }

                var file = existing.FileFor(node.Id)
                    ?? vault.ToRelative(Path.Combine(directory, ExplanationFiles.PlanUnique(group.AgentType!, node.Text ?? "", taken)));
                nodes.Add(new NewSessionNode(group.GroupId!, group.AgentType!, node.Id, node.Text ?? "", file));
            }
        }

        errors.ThrowIfAny();
        if (nodes.Count == 0)
        {
            throw NothingToExplain(skipped);
        }

        return (nodes, skipped);
    }

    /// <summary>409 when every node was skipped: says why, and what to do instead.</summary>
    private static RefusalException NothingToExplain(IReadOnlyList<SkippedNode> skipped)
    {
        var counts = string.Join(", ", skipped.GroupBy(s => s.Reason, StringComparer.Ordinal)
            .Select(g => $"{g.Count()} {g.Key.Replace('_', ' ')}"));
        var hint = skipped.Any(s => s.Reason == ExistingExplanations.AlreadyExplained)
            ? "; send \"regenerate\": true to write the existing explanations again in place"
            : "";
        var fields = skipped.ToDictionary(s => s.NodeId, s => new[] { s.Message }, StringComparer.Ordinal);
        return new RefusalException(RefusalKind.Conflict, "nothing_to_explain",
            $"no node of this request needs an agent: {counts}{hint}", fields);
    }

    public static HashSet<string> ExistingNames(string directory) =>
        Directory.Exists(directory)
            ? new HashSet<string>(Directory.EnumerateFiles(directory).Select(Path.GetFileName).OfType<string>(), StringComparer.OrdinalIgnoreCase)
            : new HashSet<string>(StringComparer.OrdinalIgnoreCase);
}
