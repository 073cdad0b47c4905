using System.Globalization;
using Spectre.Console;

namespace CanvasLearning.Cli;

/// <summary>Terminal output with markup, formatted the same whatever the user's locale.</summary>
internal static class Say
{
    private static IAnsiConsole? _console;

    /// <summary>Where people's text goes: standard output, or standard error under <c>--json</c>.</summary>
    public static IAnsiConsole Console => _console ??= Create(System.Console.Out, System.Console.IsOutputRedirected);

    /// <summary>Standard output is on a terminal: live bars instead of lines.</summary>
    public static bool IsLive => !System.Console.IsOutputRedirected && Console == AnsiConsole.Console;

    public static void Line(FormattableString markup) => Console.MarkupLineInterpolated(CultureInfo.InvariantCulture, markup);

    /// <summary>Under <c>--json</c> standard output carries only JSON: everything for people goes to standard error.</summary>
    public static void ToStandardError() => _console = Create(System.Console.Error, System.Console.IsErrorRedirected);

    /// <summary>One line to standard error, as is (no markup): errors that scripts and people both read.</summary>
    public static void Error(string line) => System.Console.Error.WriteLine(line);

    private static IAnsiConsole Create(TextWriter writer, bool redirected)
    {
        if (!redirected && writer == System.Console.Out)
        {
            return AnsiConsole.Console;
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });

        // Piped into a file or another program, a line stays one line: no wrapping at a guessed 80 columns.
        if (redirected)
        {
            console.Profile.Width = int.MaxValue / 2;
        }

        return console;
    }
}
