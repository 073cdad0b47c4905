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
}
