using System.Globalization;
using CanvasLearning.Api.Contracts;
using CanvasLearning.Cli.Remote;
using CanvasLearning.Grouping;
using CanvasLearning.Sessions;
using Spectre.Console;

namespace CanvasLearning.Cli.Live;

/// <summary>The end of a session for people: counts, a table per group, the failures, where the results are, what was skipped.</summary>
internal static class Summary
{
    private const int FailuresShown = 50;

    public static void Print(SessionStatusResponse s, ISessionBackend backend, string? provider, IReadOnlyList<SkippedNode> skipped)
    {
        var color = s.Status switch
        {
            SessionStatus.Completed => "green",
            SessionStatus.Failed => "red",
            _ => "yellow",
        };
        var seconds = s.PerformanceMetrics.TotalDurationSeconds ?? (s.StartedAt is { } a ? ((s.CompletedAt ?? backend.Time.GetUtcNow()) - a).TotalSeconds : 0);
        var ended = SessionStatus.IsTerminal(s.Status) ? "" : " so far";
        Say.Line($"[{color}]{s.Status}[/]: {s.CompletedNodes} explained, {s.FailedNodes} failed{ended}, in {seconds:0.0} s.");
        PrintGroups(s);
        PrintFailures(s);
        if (skipped.Count > 0)
        {
            var reasons = string.Join(", ", skipped.GroupBy(k => k.Reason, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}"));
            Say.Line($"Skipped {skipped.Count} nodes ({reasons}).");
        }

        var results = s.Groups.SelectMany(g => g.Results).ToList();
        if (results.Count > 0)
        {
            var folder = Path.GetDirectoryName(results[0].FilePath) ?? "";
            Say.Line($"Explanations: [bold]{backend.Show(folder)}[/]");
            Say.Line($"Canvas updated: [bold]{backend.Show(s.CanvasPath)}[/] (a file node and a labelled edge next to each concept)");
            var models = results.Select(r => r.Model).Where(m => m.Length > 0).Distinct(StringComparer.Ordinal).ToList();
            var (tokensIn, tokensOut) = (s.PerformanceMetrics.TokensIn, s.PerformanceMetrics.TokensOut);
            var tokens = tokensIn + tokensOut > 0 ? $": {tokensIn:N0} tokens in, {tokensOut:N0} out" : "";
            if (models.Count > 0)
            {
                var who = provider is null ? "Model" : $"Agent {provider}";
                Say.Line($"{who} ({string.Join(", ", models)}){tokens}");
            }
        }

        if (s.FailedNodes > 0 && SessionStatus.IsTerminal(s.Status))
        {
            if (backend is RemoteBackend remote)
            {
                Say.Line($"Retry the failed nodes: canvas-learning retry {s.SessionId}{remote.ServerArgument}");
            }
            else
            {
                Say.Line($"The failed nodes have no explanation yet: the next run tries them again (or `canvas-learning retry {s.SessionId}` against `serve`).");
            }
        }
    }

    public static void PrintGroups(SessionStatusResponse s)
    {
        var table = new Table().AddColumns("group", "agent", "status", "explained", "failed", "of");
        foreach (var g in s.Groups)
        {
            var failed = g.Nodes.Count(n => n.Status == NodeStatus.Failed);
            table.AddRow(Markup.Escape(g.GroupId), Markup.Escape(g.AgentType), Markup.Escape(g.Status), Number(g.CompletedNodes),
                failed > 0 ? $"[red]{Number(failed)}[/]" : "0", Number(g.TotalNodes));
        }

        Say.Console.Write(table);
    }

    private static void PrintFailures(SessionStatusResponse s)
    {
        var failed = s.Groups.SelectMany(g => g.Nodes.Where(n => n.Status == NodeStatus.Failed)).ToList();
        if (failed.Count == 0)
        {
            return;
        }

        var table = new Table().AddColumns("failed node", "concept", "error");
        foreach (var n in failed.Take(FailuresShown))
        {
            table.AddRow(Markup.Escape(n.NodeId), Markup.Escape(LiveBars.Short(n.Title, 40)), Markup.Escape($"{n.ErrorType}: {n.ErrorMessage}"));
        }

        Say.Console.Write(table);
        if (failed.Count > FailuresShown)
        {
            Say.Line($"… and {failed.Count - FailuresShown} more failed nodes: canvas-learning status {s.SessionId} --json lists them all.");
        }
    }

    private static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);
}
