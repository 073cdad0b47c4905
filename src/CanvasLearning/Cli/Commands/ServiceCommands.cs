using System.CommandLine;
using System.Text.Json;
using CanvasLearning.Api;
using CanvasLearning.Api.Contracts;
using CanvasLearning.Cli.Live;
using CanvasLearning.Cli.Remote;
using CanvasLearning.Sessions;
using Spectre.Console;

namespace CanvasLearning.Cli.Commands;

/// <summary><c>watch</c>, <c>status</c>, <c>cancel</c> and <c>retry</c>: calls on a running <c>serve</c> (default the local one).</summary>
internal static class ServiceCommands
{
    public static Command Watch() => Create("watch", "Follow a session live until it ends (--json: one event per line, then its final state). " + ExitCodes.Help,
        required: true, (context, id) => FollowAsync(context, id!));

    public static Command Status() => Create("status", "A session's state, or without an id the recent sessions. With an id it exits as the session stands (0 also while it runs). " + ExitCodes.Help,
        required: false, (context, id) => id is null ? ListAsync(context) : ShowAsync(context, id));

    public static Command Cancel() => Create("cancel", "Cancel a running session; its finished nodes keep their results. " + ExitCodes.Help,
        required: true, (context, id) => CancelAsync(context, id!));

    public static Command Retry() => Create("retry", "Run the failed and cancelled nodes of an ended session again, and follow it. " + ExitCodes.Help,
        required: true, (context, id) => RetryAsync(context, id!));

    private static Command Create(string name, string description, bool required, Func<Context, string?, Task<int>> action)
    {
        var id = new Argument<string?>("session-id") { Description = "The session, e.g. ip-20261125-234520-0852cd80", Arity = required ? ArgumentArity.ExactlyOne : ArgumentArity.ZeroOrOne };
        var options = ServerOptions.ForService();
        var command = new Command(name, description) { id };
        options.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var json = result.GetValue(options.Json);
            if (json)
            {
                Say.ToStandardError();
            }

            try
            {
                using var client = options.Connect(result);
                return await action(new Context(client, json, cancellationToken), result.GetValue(id));
            }
            catch (ServiceException ex)
            {
                Say.Error(ex.Line);
                return ExitCodes.Error;
            }
        });
        return command;
    }

    private static async Task<int> FollowAsync(Context context, string id)
    {
        var backend = new RemoteBackend(context.Client, notice => Say.Line($"[grey]{notice}[/]"));
        var outcome = await SessionWatcher.WatchAsync(backend, id, context.Json ? WatchOutput.JsonEvents : WatchOutput.Human, fromStart: false, context.Cancellation);
        if (context.Json)
        {
            Print(outcome.Final);
        }
        else
        {
            Summary.Print(outcome.Final, backend, provider: null, skipped: []);
        }

        if (outcome.Stopped)
        {
            Say.Line($"[yellow]{backend.StoppedHint(outcome.Final.SessionId)}[/]");
        }

        return outcome.Stopped ? ExitCodes.Cancelled : ExitCodes.FromStatus(outcome.Final.Status);
    }

    private static async Task<int> ShowAsync(Context context, string id)
    {
        var status = await context.Client.GetAsync(id, context.Cancellation);
        if (context.Json)
        {
            Print(status);
        }
        else
        {
            Summary.Print(status, new RemoteBackend(context.Client, _ => { }), provider: null, skipped: []);
        }

        return SessionStatus.IsTerminal(status.Status) ? ExitCodes.FromStatus(status.Status) : ExitCodes.Done;
    }

    private static async Task<int> ListAsync(Context context)
    {
        var list = await context.Client.ListAsync(20, context.Cancellation);
        if (context.Json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(list, AppJsonContext.Default.SessionListResponse));
            return ExitCodes.Done;
        }

        if (list.Sessions.Count == 0)
        {
            Say.Line($"No sessions on {context.Client.Server} yet: `canvas-learning run --server {context.Client.Server} --canvas <file>` starts one.");
            return ExitCodes.Done;
        }

        var table = new Table().AddColumns("session", "canvas", "status", "explained", "failed", "of", "created");
        foreach (var s in list.Sessions)
        {
            table.AddRow(Markup.Escape(s.SessionId), Markup.Escape(s.CanvasPath), Markup.Escape(s.Status),
                Text(s.CompletedNodes), Text(s.FailedNodes), Text(s.TotalNodes), s.CreatedAt.ToLocalTime().ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture));
        }

        Say.Console.Write(table);
        Say.Line($"{list.Sessions.Count} of {list.Total} sessions, newest first.");
        return ExitCodes.Done;
    }

    private static async Task<int> CancelAsync(Context context, string id)
    {
        var answer = await context.Client.CancelAsync(id, context.Cancellation);
        if (context.Json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(answer, AppJsonContext.Default.CancelResponse));
        }
        else
        {
            Say.Line($"Session {id}: {answer.Message}");
        }

        return ExitCodes.Done;
    }

    private static async Task<int> RetryAsync(Context context, string id)
    {
        var answer = await context.Client.RetryAsync(id, context.Cancellation);
        Say.Line($"Session [bold]{answer.SessionId}[/] runs its failed and cancelled nodes again.");
        return await FollowAsync(context, answer.SessionId);
    }

    private static void Print(SessionStatusResponse status) =>
        Console.Out.WriteLine(JsonSerializer.Serialize(status, AppJsonContext.Default.SessionStatusResponse));

    private static string Text(int n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private sealed record Context(ServiceClient Client, bool Json, CancellationToken Cancellation);
}
