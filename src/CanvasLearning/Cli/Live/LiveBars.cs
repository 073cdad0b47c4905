using Spectre.Console;
using Spectre.Console.Rendering;

namespace CanvasLearning.Cli.Live;

/// <summary>The live view at a terminal: a bar for the whole session, one per group, and the nodes running now.</summary>
internal static class LiveBars
{
    private const int RunningShown = 8;

    /// <summary>Draws <paramref name="view"/> until <paramref name="tick"/> (called about five times a second) says to stop.</summary>
    public static Task ShowAsync(IAnsiConsole console, SessionView view, Func<Task<bool>> tick) =>
        console.Progress()
            .AutoClear(true)
            .AutoRefresh(true)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
            .UseRenderHook((bars, _) => new Rows(bars, Running(view.Read())))
            .StartAsync(async context =>
            {
                var state = view.Read();
                var all = context.AddTask("all", maxValue: Math.Max(1, state.Total));
                var groups = state.Groups.ToDictionary(g => g.GroupId, g => context.AddTask(g.GroupId, maxValue: Math.Max(1, g.Total)), StringComparer.Ordinal);
                bool stop;
                do
                {
                    Update(view.Read(), all, groups);
                    stop = await tick();
                }
                while (!stop);

                Update(view.Read(), all, groups);
                context.Refresh();
            });

    private static void Update(ViewState state, ProgressTask all, Dictionary<string, ProgressTask> groups)
    {
        all.Description = Markup.Escape($"all nodes   {state.Finished}/{state.Total}") + Failed(state.Failed);
        all.MaxValue = Math.Max(1, state.Total);
        all.Value = state.Total == 0 ? 1 : state.Finished;
        foreach (var g in state.Groups)
        {
            if (groups.TryGetValue(g.GroupId, out var bar))
            {
                bar.Description = $"  {Markup.Escape(g.GroupId)} [grey]{Markup.Escape(g.AgentType)}[/] {g.Finished}/{g.Total}" + Failed(g.Failed);
                bar.Value = g.Finished;
            }
        }
    }

    private static string Failed(int failed) => failed > 0 ? $" [red]{failed} failed[/]" : "";

    private static Rows Running(ViewState state)
    {
        var lines = new List<IRenderable> { new Markup($"[grey]running now ({state.Running.Count}):[/]") };
        lines.AddRange(state.Running.Take(RunningShown).Select(n => new Markup($"  [yellow]▸[/] {Markup.Escape(Short(n.Title, 60))} [grey]({Markup.Escape(n.GroupId)})[/]")));
        if (state.Running.Count > RunningShown)
        {
            lines.Add(new Markup($"  [grey]… and {state.Running.Count - RunningShown} more[/]"));
        }

        return new Rows(lines);
    }

    public static string Short(string? text, int length)
    {
        var line = (text ?? "").ReplaceLineEndings(" ").Trim();
        return line.Length <= length ? line : line[..(length - 1)] + "…";
    }
}
