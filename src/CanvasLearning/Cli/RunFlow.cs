using System.Text.Json;
using CanvasLearning.Api;
using CanvasLearning.Cli.Live;
using CanvasLearning.Cli.Remote;
using CanvasLearning.Execution;
using CanvasLearning.Grouping;
using Spectre.Console;

namespace CanvasLearning.Cli;

/// <summary>What <c>run</c> does on either backend: analyze, show the groups, confirm, follow each session, summarize.</summary>
internal static class RunFlow
{
    public static async Task<int> ExecuteAsync(ISessionBackend backend, RunArguments args, string canvasPath, int maxPerSession, CancellationToken cancellationToken)
    {
        try
        {
            var analysis = await backend.AnalyzeAsync(new AnalyzeRequest(canvasPath, args.Color, args.MaxGroups), cancellationToken);
            RunReporter.PrintGroups(analysis);
            RunReporter.PrintSkipped(analysis, args.Force);
            if (analysis.TotalNodes == 0)
            {
                Say.Line($"No text nodes of color {args.Color} to explain on {canvasPath}: nothing to do.");
                return ExitCodes.Done;
            }

            var sessions = RunPlan.Sessions(analysis, args.Force, Math.Max(1, maxPerSession));
            if (sessions.Count == 0)
            {
                Say.Line($"Every concept of {canvasPath} is explained already; nothing changed. --force writes them again in place.");
                return ExitCodes.Done;
            }

            var nodes = sessions.Sum(s => s.Sum(g => g.NodeIds!.Count));
            if (!args.Yes && !args.Json && Interrupts.IsInteractive
                && !Say.Console.Confirm($"Explain {nodes} concepts in {analysis.Groups.Count} groups now?"))
            {
                Say.Line($"Nothing started.");
                return ExitCodes.Cancelled;
            }

            var exit = ExitCodes.Done;
            for (var i = 0; i < sessions.Count && !cancellationToken.IsCancellationRequested; i++)
            {
                if (sessions.Count > 1)
                {
                    Say.Line($"Session {i + 1} of {sessions.Count}: {sessions[i].Sum(g => g.NodeIds!.Count)} concepts");
                }

                var (sessionId, skipped) = await backend.ConfirmAsync(
                    new ConfirmRequest(analysis.CanvasPath, sessions[i], args.MaxConcurrent, args.Timeout, args.Provider, args.Force), cancellationToken);
                foreach (var busy in skipped.Where(k => k.Reason == "being_explained"))
                {
                    Say.Line($"[grey]skipped {busy.NodeId} ({busy.Reason}): {busy.Message}[/]");
                }

                var code = await FollowAsync(backend, sessionId, args, [.. analysis.SkippedNodes, .. skipped], cancellationToken);
                exit = ExitCodes.Worst(exit, code);
                if (code == ExitCodes.Cancelled)
                {
                    break;
                }
            }

            return exit;
        }
        catch (RefusalException ex)
        {
            Say.Line($"[red]error ({ex.Error}):[/] {ex.Message}");
            return ExitCodes.Error;
        }
        catch (ServiceException ex)
        {
            Say.Error(ex.Line);
            return ExitCodes.Error;
        }
    }

    /// <summary>Watches one session to its end (or until the user stops), then prints its summary or, under --json, its final state.</summary>
    public static async Task<int> FollowAsync(ISessionBackend backend, string sessionId, RunArguments args, IReadOnlyList<SkippedNode> skipped, CancellationToken cancellationToken, bool resumed = false)
    {
        var how = Interrupts.IsInteractive ? "Ctrl+C asks whether to cancel it or stop watching" : "Ctrl+C stops watching";
        var verb = resumed ? "resumed" : "started";
        Say.Line($"Session [bold]{sessionId}[/] {verb}; {how}.");
        var outcome = await SessionWatcher.WatchAsync(backend, sessionId, args.Json ? WatchOutput.Quiet : WatchOutput.Human, fromStart: !resumed, cancellationToken);
        if (args.Json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(outcome.Final, AppJsonContext.Default.SessionStatusResponse));
        }
        else
        {
            var provider = await backend.ProviderAsync(sessionId, CancellationToken.None);
            Summary.Print(outcome.Final, backend, provider, skipped.DistinctBy(k => k.NodeId, StringComparer.Ordinal).ToList());
        }

        if (outcome.Stopped)
        {
            Say.Line($"[yellow]{backend.StoppedHint(outcome.Final.SessionId)}[/]");
        }

        return outcome.Stopped ? ExitCodes.Cancelled : ExitCodes.FromStatus(outcome.Final.Status);
    }
}
