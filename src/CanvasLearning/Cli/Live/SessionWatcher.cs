using System.Text.Json;
using CanvasLearning.Api;
using CanvasLearning.Api.Contracts;
using CanvasLearning.Cli.Remote;
using CanvasLearning.Execution;
using Spectre.Console;

namespace CanvasLearning.Cli.Live;

/// <summary>What the watcher prints: for people, JSON events (one a line), or nothing (the caller prints the end).</summary>
internal enum WatchOutput
{
    Human,
    JsonEvents,
    Quiet,
}

/// <summary>How watching a session ended: its state then, and whether the user stopped watching before the end (then say <see cref="ISessionBackend.StoppedHint"/>).</summary>
internal sealed record WatchOutcome(SessionStatusResponse Final, bool Stopped);

/// <summary>
/// Follows a session until it ends, showing it as live bars at a terminal, as a line per finished node
/// otherwise, or as one JSON event per line; Ctrl+C asks (at a terminal) whether to cancel the session,
/// stop watching, or go on.
/// </summary>
internal static class SessionWatcher
{
    private const string GoOn = "Keep watching";
    private const string Cancel = "Cancel the session (finished nodes keep their results)";

    /// <param name="fromStart">The session was just started here: every event from seq 1 is shown.</param>
    public static async Task<WatchOutcome> WatchAsync(ISessionBackend backend, string sessionId, WatchOutput output, bool fromStart, CancellationToken signal)
    {
        var live = output == WatchOutput.Human && Say.IsLive;
        var view = new SessionView(sessionId);
        if (output == WatchOutput.JsonEvents)
        {
            view.EventApplied += e => Console.Out.WriteLine(e.Json);
            view.Polled += s => Console.Out.WriteLine(JsonSerializer.Serialize(s, AppJsonContext.Default.SessionStatusResponse));
        }
        else if (output == WatchOutput.Human && !live)
        {
            view.NodeFinished += PrintNode;
            view.GroupFinished += g => Say.Line($"[blue]group {g.GroupId} done[/] ({g.AgentType}: {g.Completed} explained, {g.Failed} failed)");
        }

        view.Apply(await backend.GetAsync(sessionId, CancellationToken.None));
        if (fromStart)
        {
            view.Rewind();
        }

        if (view.Ended)
        {
            return new WatchOutcome(await backend.GetAsync(sessionId, CancellationToken.None), Stopped: false);
        }

        using var interrupts = new Interrupts(backend.Time, signal);
        using var following = new CancellationTokenSource();
        var follow = backend.FollowAsync(view, following.Token);
        var stopped = false;
        while (true)
        {
            if (live)
            {
                var refreshed = backend.Time.GetUtcNow();
                await LiveBars.ShowAsync(Say.Console, view, async () =>
                {
                    await Task.WhenAny(follow, interrupts.Requested, Task.Delay(TimeSpan.FromMilliseconds(200), backend.Time, CancellationToken.None));
                    if (backend.Time.GetUtcNow() - refreshed > TimeSpan.FromSeconds(1) || view.RefreshWanted)
                    {
                        // Which nodes run now is only in the polled state; events say when they end.
                        refreshed = backend.Time.GetUtcNow();
                        await RefreshAsync(backend, view, following.Token);
                    }

                    return follow.IsCompleted || interrupts.Requested.IsCompleted;
                });
            }
            else
            {
                while (!follow.IsCompleted && !interrupts.Requested.IsCompleted)
                {
                    await Task.WhenAny(follow, interrupts.Requested, Task.Delay(TimeSpan.FromSeconds(1), backend.Time, CancellationToken.None));
                    if (view.RefreshWanted)
                    {
                        await RefreshAsync(backend, view, following.Token);
                    }
                }
            }

            if (follow.IsCompleted)
            {
                await follow;
                break;
            }

            var choice = interrupts.CanAsk ? Ask(backend, interrupts) : null;
            if (choice == Cancel)
            {
                Say.Line($"Cancelling session {sessionId}…");
                await CancelQuietlyAsync(backend, sessionId);
            }
            else if (choice != GoOn)
            {
                await following.CancelAsync();
                await Task.WhenAny(follow);
                stopped = !view.Ended;
                break;
            }

            interrupts.Resume();
        }

        return new WatchOutcome(await backend.GetAsync(sessionId, CancellationToken.None), stopped);
    }

    private static string Ask(ISessionBackend backend, Interrupts interrupts)
    {
        interrupts.Pause();
        var stop = backend.IsRemote ? "Stop watching (the session goes on on the server)" : "Stop (the session pauses and resumes on the next run)";
        return Say.Console.Prompt(new SelectionPrompt<string>()
            .Title("Ctrl+C: what now?")
            .AddChoices(stop, Cancel, GoOn));
    }

    private static async Task CancelQuietlyAsync(ISessionBackend backend, string sessionId)
    {
        try
        {
            await backend.CancelAsync(sessionId, CancellationToken.None);
        }
        catch (Exception ex) when (ex is ServiceException { Error: "session_already_completed" } or RefusalException { Error: "session_already_completed" })
        {
            // It ended meanwhile: the follow sees its end.
        }
    }

    private static async Task RefreshAsync(ISessionBackend backend, SessionView view, CancellationToken cancellationToken)
    {
        try
        {
            view.Apply(await backend.GetAsync(view.SessionId, cancellationToken));
        }
        catch (Exception ex) when (ex is ServiceException or RefusalException or OperationCanceledException)
        {
            // A missed refresh only leaves the running list a second older; the follow reports real trouble.
        }
    }

    private static void PrintNode(NodeLine node, ViewState state)
    {
        var title = LiveBars.Short(node.Title, 40);
        if (node.Status == Sessions.NodeStatus.Completed)
        {
            var ms = node.DurationMs is { } d ? $"{d} ms" : "";
            Say.Line($"[green]✓[/] {state.Finished,3}/{state.Total}  {title} [grey]{ms}[/]");
        }
        else
        {
            Say.Line($"[red]✗[/] {state.Finished,3}/{state.Total}  {title}: {node.Error}");
        }
    }
}
