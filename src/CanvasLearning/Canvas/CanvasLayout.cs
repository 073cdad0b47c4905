using System.Buffers;
using System.Text;
using System.Text.Json;

namespace CanvasLearning.Canvas;

/// <summary>
/// The file's own style, read from its text: newline, indentation, how the objects of an array
/// are laid out and separated. New objects are written the same way, so a diff shows only them.
/// </summary>
internal static class CanvasLayout
{
    private static readonly SearchValues<byte> Whitespace = SearchValues.Create(" \t\r\n"u8);
    private static readonly SearchValues<byte> CommaAndWhitespace = SearchValues.Create(", \t\r\n"u8);

    /// <summary>The first line break of the file decides: <c>\r\n</c> or <c>\n</c> (also for files with none).</summary>
    public static string Newline(ReadOnlySpan<byte> text)
    {
        var lf = text.IndexOf((byte)'\n');
        return lf > 0 && text[lf - 1] == '\r' ? "\r\n" : "\n";
    }

    public static bool HasNewline(ReadOnlySpan<byte> text) => text.IndexOf((byte)'\n') >= 0;

    /// <summary>What goes before each object appended after the last one, e.g. <c>,\n\t\t</c>.</summary>
    public static string ItemPrefix(ReadOnlySpan<byte> text, TextSpan array, IReadOnlyList<TextSpan> items, string newline)
    {
        if (items.Count >= 2)
        {
            var between = text[items[^2].End..items[^1].Start];
            if (IsCommaAndWhitespace(between))
            {
                return Encoding.UTF8.GetString(between);
            }
        }
        else if (text[(array.Start + 1)..items[0].Start] is var lead && IsWhitespace(lead))
        {
            return "," + Encoding.UTF8.GetString(lead);
        }

        // Comments between objects: keep the line layout, leave the comments where they are.
        return StartsLine(text, items[^1].Start) ? "," + newline + LineIndent(text, items[^1].Start) : ",";
    }

    /// <summary>The style of an existing object: one line or one property per line, with its separators.</summary>
    public static ObjectStyle StyleOf(ReadOnlySpan<byte> text, TextSpan item, string newline, bool sorted)
    {
        var slice = text[item.Start..item.End];
        var multiLine = slice.IndexOf((byte)'\n') >= 0;
        var keyValue = ":";
        var between = ",";
        var propertyIndent = "";
        var reader = new Utf8JsonReader(slice, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        reader.Read();
        if (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var nameStart = (int)reader.TokenStartIndex;
            var nameEnd = nameStart + reader.ValueSpan.Length + 2;
            propertyIndent = LineIndent(slice, nameStart);
            reader.Read();
            if (slice[nameEnd..(int)reader.TokenStartIndex] is var kv && IsColonAndSpaces(kv))
            {
                keyValue = Encoding.UTF8.GetString(kv);
            }

            if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
            {
                var valueEnd = (int)reader.BytesConsumed;
                if (reader.Read() && reader.TokenType == JsonTokenType.PropertyName
                    && slice[valueEnd..(int)reader.TokenStartIndex] is var sep && IsCommaAndSpaces(sep))
                {
                    between = Encoding.UTF8.GetString(sep);
                }
            }
        }

        var closingIndent = multiLine ? LineIndent(slice, slice.Length - 1) : "";
        return new ObjectStyle(multiLine, keyValue, between, propertyIndent, closingIndent, newline, sorted);
    }

    /// <summary>
    /// The new text between <c>[</c> and <c>]</c> of an empty array that receives <paramref name="objects"/>;
    /// null when the array holds something other than whitespace (comments), which is left to the full rewrite.
    /// </summary>
    public static string? FillEmptyArray(
        ReadOnlySpan<byte> text, TextSpan array, IReadOnlyList<(string Key, string Json)>[] objects, ObjectStyle? sibling, bool sorted, string newline)
    {
        if (!IsWhitespace(text[(array.Start + 1)..(array.End - 1)]))
        {
            return null;
        }

        if (!HasNewline(text))
        {
            // A minified file stays on one line.
            var compact = sibling is { MultiLine: false } ? sibling with { SortedKeys = sorted } : ObjectStyle.OneLine(newline, sorted);
            return string.Join(compact.PropertySeparator, objects.Select(o => CanvasJsonText.Object(o, compact)));
        }

        var lineIndent = LineIndent(text, LineStart(text, array.Start));
        var unit = lineIndent.Length > 0 ? lineIndent : "\t";
        var itemIndent = lineIndent + unit;
        var style = sibling is { } s
            ? s with { PropertyIndent = itemIndent + unit, ClosingIndent = itemIndent, SortedKeys = sorted }
            : unit.Contains('\t', StringComparison.Ordinal)
                ? ObjectStyle.OneLine(newline, sorted)
                : new ObjectStyle(true, ": ", ", ", itemIndent + unit, itemIndent, newline, sorted);
        var builder = new StringBuilder();
        for (var i = 0; i < objects.Length; i++)
        {
            builder.Append(i == 0 ? "" : ",").Append(newline).Append(itemIndent).Append(CanvasJsonText.Object(objects[i], style));
        }

        return builder.Append(newline).Append(lineIndent).ToString();
    }

    /// <summary>The whitespace from the start of the line holding <paramref name="position"/> up to its first other character.</summary>
    private static string LineIndent(ReadOnlySpan<byte> text, int position)
    {
        var start = LineStart(text, position);
        var end = start;
        while (end < text.Length && text[end] is (byte)' ' or (byte)'\t')
        {
            end++;
        }

        return Encoding.ASCII.GetString(text[start..end]);
    }

    private static int LineStart(ReadOnlySpan<byte> text, int position)
    {
        var lf = text[..position].LastIndexOf((byte)'\n');
        return lf + 1;
    }

    private static bool StartsLine(ReadOnlySpan<byte> text, int position) =>
        IsWhitespace(text[LineStart(text, position)..position]);

    private static bool IsWhitespace(ReadOnlySpan<byte> bytes) => bytes.IndexOfAnyExcept(Whitespace) < 0;

    private static bool IsCommaAndWhitespace(ReadOnlySpan<byte> bytes) =>
        bytes.Count((byte)',') == 1 && bytes.IndexOfAnyExcept(CommaAndWhitespace) < 0;

    private static bool IsCommaAndSpaces(ReadOnlySpan<byte> bytes) =>
        bytes.Count((byte)',') == 1 && bytes.IndexOfAnyExcept((byte)',', (byte)' ') < 0;

    private static bool IsColonAndSpaces(ReadOnlySpan<byte> bytes) =>
        bytes.Count((byte)':') == 1 && bytes.IndexOfAnyExcept((byte)':', (byte)' ') < 0;
}
