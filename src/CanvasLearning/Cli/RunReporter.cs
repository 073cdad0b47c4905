using CanvasLearning.Grouping;
using Spectre.Console;

namespace CanvasLearning.Cli;

/// <summary>What <c>run</c> prints before it starts: the groups found and the nodes left out.</summary>
internal static class RunReporter
{
    public static void PrintGroups(AnalyzeResponse analysis)
    {
        Say.Line($"Canvas [bold]{analysis.CanvasPath}[/]: {analysis.TotalNodes} nodes to explain in {analysis.Groups.Count} groups (silhouette {analysis.SilhouetteScore:0.000})");
        var table = new Table().AddColumns("group", "name", "nodes", "agent", "confidence", "priority");
        foreach (var g in analysis.Groups)
        {
            table.AddRow(Markup.Escape(g.GroupId), Markup.Escape($"{g.GroupEmoji} {g.GroupName}"), g.Nodes.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Markup.Escape(g.RecommendedAgent), g.Confidence.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(g.Priority));
        }

        Say.Console.Write(table);
        if (analysis.ResourceWarning is { } warning)
        {
            Say.Line($"[yellow]note:[/] {warning}");
        }
    }

    /// <summary>The marked nodes that get no agent call: empty or embed-only cards, and those explained already.</summary>
    public static void PrintSkipped(AnalyzeResponse analysis, bool force)
    {
        foreach (var skipped in analysis.SkippedNodes)
        {
            // Interpolated values are escaped by Say.
            Say.Line($"[grey]skipped {skipped.NodeId} ({skipped.Reason}): {skipped.Message}[/]");
        }

        var explained = analysis.AlreadyExplained.Count;
        if (explained > 0 && force)
        {
            Say.Line($"{explained} concepts are explained already: --force writes their files again in place.");
        }
        else if (explained > 0)
        {
            Say.Line($"{explained} concepts are explained already and are left as they are (--force writes them again in place).");
        }
    }
}
