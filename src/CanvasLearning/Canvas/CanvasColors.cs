namespace CanvasLearning.Canvas;

/// <summary>
/// JSON Canvas colors: the presets "1".."6", which Obsidian shows as red, orange, yellow, green, cyan
/// and purple, or a hex color. The Canvas Learning system marks its "似懂非懂" concepts with "3" (yellow).
/// </summary>
public static class CanvasColors
{
    /// <summary>The default target: "3", what Obsidian shows as yellow.</summary>
    public const string Default = "3";

    private static readonly string[] Names = ["red", "orange", "yellow", "green", "cyan", "purple"];

    /// <summary>What the accepted forms are, for error messages.</summary>
    public const string Accepted = "a preset \"1\"..\"6\", its name (red, orange, yellow, green, cyan, purple) or a hex color \"#rrggbb\"";

    /// <summary>Turns "6", "purple", "Purple" or "#A1b2C3" into the form canvas files use ("6", "#a1b2c3").</summary>
    public static bool TryNormalize(string? value, out string color)
    {
        color = "";
        var v = value?.Trim() ?? "";
        if (v is "1" or "2" or "3" or "4" or "5" or "6")
        {
            color = v;
            return true;
        }

        var named = Array.FindIndex(Names, n => string.Equals(n, v, StringComparison.OrdinalIgnoreCase));
        if (named >= 0)
        {
            color = (named + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return true;
        }

        if (v.Length == 7 && v[0] == '#' && v.AsSpan(1).ContainsAnyExcept(HexDigits) is false)
        {
            color = v.ToLowerInvariant();
            return true;
        }

        return false;
    }

    /// <summary>How Obsidian shows a color: "3 (yellow)", or the hex value itself.</summary>
    public static string Describe(string color) =>
        color.Length == 1 && color[0] is >= '1' and <= '6' ? $"{color} ({Names[color[0] - '1']})" : color;

    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");
}
