using System.Text.Json;
using CanvasLearning.Execution;
using CanvasLearning.Grouping;
using CanvasLearning.Sessions;
using Spectre.Console;

namespace CanvasLearning.Cli;

/// <summary>What <c>run</c> prints: the groups, a line per finished node as it happens, and where the results are.</summary>
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

        AnsiConsole.Write(table);
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

    /// <summary>Prints the session's events from its log until it ends; Ctrl+C cancels the session.</summary>
    public static async Task<SessionSnapshot> FollowAsync(string sessionId, ISessionStore store, BatchEngine engine, BatchService service, CancellationToken cancellationToken)
    {
        Say.Line($"Session [bold]{sessionId}[/] started; Ctrl+C cancels it.");
        using var signal = new SemaphoreSlim(0);
        using var subscription = engine.Bus.Subscribe(sessionId, _ => signal.Release());
        using var cancelled = cancellationToken.Register(() => _ = service.CancelAsync(sessionId, CancellationToken.None));
        var texts = (await store.GetAsync(sessionId, CancellationToken.None))!.Nodes.ToDictionary(n => n.NodeId, n => n.Text, StringComparer.Ordinal);
        long lastSeq = 0;
        var finished = false;
        var done = 0;
        while (!finished)
        {
            foreach (var e in await store.ReadEventsAsync(sessionId, lastSeq, 1_000, CancellationToken.None))
            {
                lastSeq = e.Seq;
                finished |= Print(e, texts, ref done);
            }

            if (!finished)
            {
                await signal.WaitAsync(TimeSpan.FromSeconds(1), CancellationToken.None);
            }
        }

        await engine.WaitAsync(sessionId, CancellationToken.None);
        return (await store.GetAsync(sessionId, CancellationToken.None))!;

    }

    public static void PrintSummary(SessionSnapshot snapshot, string vaultRoot)
    {
        var s = snapshot.Session;
        var color = s.Status == SessionStatus.Completed ? "green" : "yellow";
        var seconds = s.StartedAt is { } a && s.CompletedAt is { } b ? (b - a).TotalSeconds : 0;
        Say.Line($"[{color}]{s.Status}[/]: {snapshot.CompletedNodes} explained, {snapshot.FailedNodes} failed, in {seconds:0.0} s.");
        if (snapshot.Nodes.FirstOrDefault(n => n.Status == NodeStatus.Completed) is { } first)
        {
            Say.Line($"Explanations: [bold]{Path.Combine(vaultRoot, Path.GetDirectoryName(first.FilePath) ?? "")}[/]");
            Say.Line($"Canvas updated: [bold]{Path.Combine(vaultRoot, s.CanvasPath)}[/] (a file node and a labelled edge next to each concept)");
        }

        var models = snapshot.Nodes.Select(n => n.Model).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (models.Count > 0)
        {
            var (tokensIn, tokensOut) = (snapshot.Nodes.Sum(n => n.TokensIn), snapshot.Nodes.Sum(n => n.TokensOut));
            var tokens = tokensIn + tokensOut > 0 ? $": {tokensIn:N0} tokens in, {tokensOut:N0} out" : "";
            Say.Line($"Agent [bold]{Markup.Escape(s.AgentProvider)}[/] ({Markup.Escape(string.Join(", ", models))}){tokens}");
        }

        if (snapshot.FailedNodes > 0)
        {
            Say.Line($"Failed nodes keep their error in the session; retry them with: POST /api/v1/canvas/intelligent-parallel/{s.SessionId}/retry (serve)");
        }
    }

    private static bool Print(SessionEvent e, Dictionary<string, string> texts, ref int done)
    {
        using var doc = JsonDocument.Parse(e.Json);
        var data = doc.RootElement.GetProperty("data");
        switch (e.Type)
        {
            case EventTypes.TaskCompleted:
                var node = data.GetProperty("node_id").GetString()!;
                Say.Line($"[green]✓[/] {++done,3}/{texts.Count}  {Short(texts.GetValueOrDefault(node))} [grey]{data.GetProperty("duration_ms").GetInt64()} ms[/]");
                return false;
            case EventTypes.TaskFailed:
                var failed = data.GetProperty("node_id").GetString()!;
                Say.Line($"[red]✗[/] {++done,3}/{texts.Count}  {Short(texts.GetValueOrDefault(failed))}: {data.GetProperty("error_message").GetString()}");
                return false;
            case EventTypes.GroupCompleted:
                Say.Line($"[blue]group {data.GetProperty("group_id").GetString()} done[/] ({data.GetProperty("agent_type").GetString()})");
                return false;
            default:
                return e.Type == EventTypes.SessionCompleted;
        }
    }

    private static string Short(string? text)
    {
        var line = (text ?? "").ReplaceLineEndings(" ").Trim();
        return line.Length <= 40 ? line : line[..39] + "…";
    }
}
