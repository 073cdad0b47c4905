using System.CommandLine;

namespace CanvasLearning.Cli;

/// <summary>The <c>canvas-learning</c> command: <c>run</c> (one batch, in the terminal) and <c>serve</c> (the HTTP service).</summary>
public static class CliApp
{
    /// <summary>How long after Ctrl+C or SIGTERM the process is ended if graceful shutdown has not finished.</summary>
    public static TimeSpan TerminationTimeout { get; } = TimeSpan.FromSeconds(40);

    public static RootCommand Build() => new("Canvas Learning parallel batch service: explains the concepts you marked on an Obsidian Canvas, many at once.")
    {
        RunCommand.Create(),
        ServeCommand.Create(),
        Commands.ServiceCommands.Watch(),
        Commands.ServiceCommands.Status(),
        Commands.ServiceCommands.Cancel(),
        Commands.ServiceCommands.Retry(),
    };

    /// <summary>Parses and runs the command line, as the program does.</summary>
    public static Task<int> InvokeAsync(IReadOnlyList<string> args)
    {
        var parsed = Build().Parse(args);

        // A bad option of a command is refused like a bad setting: a line each, exit code 2, and not the
        // whole help. Without a command (or with an unknown one) the help is what helps.
        if (parsed.Errors.Count > 0 && parsed.CommandResult.Command is not RootCommand)
        {
            var help = $"see 'canvas-learning {parsed.CommandResult.Command.Name} --help'";

            // Our own messages (they start with the option's name) say how to fix the value already.
            return Task.FromResult(Refusal.Report(parsed.Errors.Select(e => e.Message.StartsWith('-') ? e.Message : $"{e.Message.TrimEnd('.')}; {help}")));
        }

        // On Ctrl+C or SIGTERM the command's token is cancelled and the host shuts down gracefully (sockets
        // get server_shutdown and 1012, sessions are suspended for resume). System.CommandLine would end the
        // process 2 s later by default, cutting that short; give it longer than the host's own 30 s bound.
        return parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TerminationTimeout });
    }
}
