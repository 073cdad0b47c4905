using System.Globalization;
using Spectre.Console;

namespace CanvasLearning.Cli;

/// <summary>Terminal output with markup, formatted the same whatever the user's locale.</summary>
internal static class Say
{
    public static void Line(FormattableString markup) => AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, markup);
}
