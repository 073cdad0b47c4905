using System.Globalization;
using Spectre.Console;

namespace CanvasLearning.Cli;

/// <summary>Terminal output with markup, formatted the same whatever the user's locale.</summary>
internal static class Say
{
    // Piped into a file or another program, a line stays one line: no wrapping at a guessed 80 columns.
    private static readonly IAnsiConsole Console = System.Console.IsOutputRedirected
        ? AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(System.Console.Out) }).WithWidth(int.MaxValue / 2)
        : AnsiConsole.Console;

    public static void Line(FormattableString markup) => Console.MarkupLineInterpolated(CultureInfo.InvariantCulture, markup);

    private static IAnsiConsole WithWidth(this IAnsiConsole console, int width)
    {
        console.Profile.Width = width;
        return console;
    }
}
