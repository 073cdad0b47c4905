using CanvasLearning.Execution;
using CanvasLearning.Grouping;

namespace CanvasLearning.Cli;

/// <summary>What <c>run</c> confirms: the analysis's groups, without the nodes explained already (unless forced), in sessions of at most a given size.</summary>
internal static class RunPlan
{
    /// <summary>The confirms to send, in order; a group too big for what is left of a session continues in the next one, under the same id.</summary>
    public static List<List<ConfirmGroup>> Sessions(AnalyzeResponse analysis, bool force, int maxPerSession)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPerSession, 1);
        var explained = force ? [] : analysis.AlreadyExplained.Select(e => e.NodeId).ToHashSet(StringComparer.Ordinal);
        var sessions = new List<List<ConfirmGroup>>();
        var current = new List<ConfirmGroup>();
        var room = maxPerSession;
        foreach (var group in analysis.Groups)
        {
            var ids = group.Nodes.Select(n => n.NodeId).Where(id => !explained.Contains(id)).ToList();
            while (ids.Count > 0)
            {
                var take = Math.Min(room, ids.Count);
                current.Add(new ConfirmGroup(group.GroupId, group.RecommendedAgent, ids[..take]));
                ids = ids[take..];
                room -= take;
                if (room == 0)
                {
                    sessions.Add(current);
                    (current, room) = ([], maxPerSession);
                }
            }
        }

        if (current.Count > 0)
        {
            sessions.Add(current);
        }

        return sessions;
    }
}
