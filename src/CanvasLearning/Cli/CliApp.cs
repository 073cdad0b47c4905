using System.CommandLine;

namespace CanvasLearning.Cli;

/// <summary>The <c>canvas-learning</c> command: <c>run</c> (one batch, in the terminal) and <c>serve</c> (the HTTP service).</summary>
public static class CliApp
{
    public static RootCommand Build() => new("Canvas Learning parallel batch service: explains the concepts you marked on an Obsidian Canvas, many at once.")
    {
        RunCommand.Create(),
        ServeCommand.Create(),
    };
}
