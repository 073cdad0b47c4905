using System.Text.RegularExpressions;

namespace CanvasLearning.Tests.Canvas;

/// <summary>What a <c>git diff</c> of the canvas would show, line by line.</summary>
internal static partial class CanvasDiffAssert
{
    /// <summary>
    /// Asserts that <paramref name="after"/> is <paramref name="before"/> with lines added and, at
    /// most <paramref name="maxUpdated"/> times, a comma appended to the line before an added block
    /// (JSON needs it; Obsidian's own saves change that line too). Returns the added lines, with
    /// their line endings.
    /// </summary>
    public static List<string> OnlyAddedLines(string before, string after, int maxUpdated = 2)
    {
        var old = SplitKeepingEnds(before);
        var now = SplitKeepingEnds(after);
        var added = new List<string>();
        var updated = 0;
        var i = 0;
        var j = 0;
        while (j < now.Count)
        {
            if (i < old.Count && now[j] == old[i])
            {
                i++;
                j++;
            }
            else if (i < old.Count && now[j] == WithComma(old[i]))
            {
                updated++;
                i++;
                j++;
            }
            else
            {
                added.Add(now[j]);
                j++;
            }
        }

        Assert.True(i == old.Count, $"line {i + 1} of the original is gone or changed: {(i < old.Count ? old[i] : "")}");
        Assert.True(updated <= maxUpdated, $"{updated} original lines changed; at most {maxUpdated} may gain a comma");
        return added;
    }

    /// <summary>The added text of a one-line file: <paramref name="after"/> minus objects with our 16-hex-digit ids must be <paramref name="before"/>.</summary>
    public static List<string> OnlyAddedObjects(string before, string after)
    {
        var ours = OurObject().Matches(after).Select(m => m.Value).ToList();
        var stripped = OurObject().Replace(after, "");
        Assert.Equal(before, stripped);
        return ours;
    }

    private static string WithComma(string line)
    {
        var end = line.EndsWith("\r\n", StringComparison.Ordinal) ? 2 : line.EndsWith('\n') ? 1 : 0;
        return line[..^end] + "," + line[^end..];
    }

    private static List<string> SplitKeepingEnds(string text)
    {
        var lines = new List<string>();
        var start = 0;
        for (var k = 0; k < text.Length; k++)
        {
            if (text[k] == '\n')
            {
                lines.Add(text[start..(k + 1)]);
                start = k + 1;
            }
        }

        if (start < text.Length)
        {
            lines.Add(text[start..]);
        }

        return lines;
    }

    // A comma and one of our objects (ids of 16 hex digits, no nested objects), or one first in an empty array.
    [GeneratedRegex("""(,\{"id":"[0-9a-f]{16}"[^{}]*\})|(\{"id":"[0-9a-f]{16}"[^{}]*\},?)""")]
    private static partial Regex OurObject();
}
