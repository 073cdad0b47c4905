using System.Globalization;
using System.Text;

namespace CanvasLearning.Canvas;

/// <summary>How one new object of an array is written, as learned from the objects already there.</summary>
/// <param name="MultiLine">One property per line (pretty-printed) rather than the whole object on one line.</param>
/// <param name="KeyValueSeparator"><c>:</c> (Obsidian) or <c>: </c> (JSON.stringify with an indent).</param>
/// <param name="PropertySeparator">Between properties on one line: <c>,</c> or <c>, </c>.</param>
/// <param name="PropertyIndent">Multi-line only: the whitespace before each property.</param>
/// <param name="ClosingIndent">Multi-line only: the whitespace before the closing brace.</param>
/// <param name="SortedKeys">The file lists keys in ordinal order; new objects do too.</param>
internal sealed record ObjectStyle(
    bool MultiLine, string KeyValueSeparator, string PropertySeparator, string PropertyIndent, string ClosingIndent, string Newline, bool SortedKeys)
{
    /// <summary>Obsidian's own: <c>{"id":"…","type":"file",…}</c>.</summary>
    public static ObjectStyle OneLine(string newline, bool sorted) => new(false, ":", ",", "", "", newline, sorted);
}

/// <summary>JSON text for the values and objects we add, written the way Obsidian writes them.</summary>
internal static class CanvasJsonText
{
    /// <summary>
    /// A JSON string with only what JSON requires escaped (quote, backslash, control characters)
    /// and lone surrogates; Chinese, emoji and <c>&lt;</c> stay as they are, as in Obsidian's files.
    /// </summary>
    public static string Quote(string value)
    {
        var builder = new StringBuilder(value.Length + 2);
        AppendQuoted(builder, value);
        return builder.ToString();
    }

    public static void AppendQuoted(StringBuilder builder, string value)
    {
        builder.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                case '\b':
                    builder.Append("\\b");
                    break;
                case '\f':
                    builder.Append("\\f");
                    break;
                default:
                    if (c < 0x20 || (char.IsSurrogate(c) && !IsPair(value, i)))
                    {
                        builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                    }
                    else if (char.IsHighSurrogate(c))
                    {
                        builder.Append(c).Append(value[++i]);
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        builder.Append('"');
    }

    /// <summary>Integer geometry, as Obsidian writes it.</summary>
    public static string Integer(double value) =>
        (double.IsFinite(value) ? (long)Math.Round(value, MidpointRounding.AwayFromZero) : 0).ToString(CultureInfo.InvariantCulture);

    /// <summary>An object of already-encoded values in <paramref name="style"/>; sorted when the file sorts its keys.</summary>
    public static string Object(IReadOnlyList<(string Key, string Json)> properties, ObjectStyle style)
    {
        var ordered = style.SortedKeys ? properties.OrderBy(p => p.Key, StringComparer.Ordinal).ToList() : properties;
        var builder = new StringBuilder();
        builder.Append('{');
        for (var i = 0; i < ordered.Count; i++)
        {
            if (style.MultiLine)
            {
                builder.Append(i == 0 ? "" : ",").Append(style.Newline).Append(style.PropertyIndent);
            }
            else if (i > 0)
            {
                builder.Append(style.PropertySeparator);
            }

            AppendQuoted(builder, ordered[i].Key);
            builder.Append(style.KeyValueSeparator).Append(ordered[i].Json);
        }

        if (style.MultiLine)
        {
            builder.Append(style.Newline).Append(style.ClosingIndent);
        }

        return builder.Append('}').ToString();
    }

    /// <summary>The standard fields of a node, in Obsidian's order: identity, content, geometry, color.</summary>
    public static List<(string Key, string Json)> NodeProperties(CanvasNode node)
    {
        var properties = new List<(string, string)> { ("id", Quote(node.Id)), ("type", Quote(node.Type)) };
        AddIfNotNull(properties, "text", node.Text);
        AddIfNotNull(properties, "file", node.File);
        AddIfNotNull(properties, "subpath", node.Subpath);
        AddIfNotNull(properties, "url", node.Url);
        AddIfNotNull(properties, "label", node.Label);
        properties.Add(("x", Integer(node.X)));
        properties.Add(("y", Integer(node.Y)));
        properties.Add(("width", Integer(node.Width)));
        properties.Add(("height", Integer(node.Height)));
        AddIfNotNull(properties, "color", node.Color);
        return properties;
    }

    public static List<(string Key, string Json)> EdgeProperties(CanvasEdge edge)
    {
        var properties = new List<(string, string)> { ("id", Quote(edge.Id)), ("fromNode", Quote(edge.FromNode)) };
        AddIfNotNull(properties, "fromSide", edge.FromSide);
        AddIfNotNull(properties, "fromEnd", edge.FromEnd);
        properties.Add(("toNode", Quote(edge.ToNode)));
        AddIfNotNull(properties, "toSide", edge.ToSide);
        AddIfNotNull(properties, "toEnd", edge.ToEnd);
        AddIfNotNull(properties, "color", edge.Color);
        AddIfNotNull(properties, "label", edge.Label);
        return properties;
    }

    private static void AddIfNotNull(List<(string, string)> properties, string key, string? value)
    {
        if (value is not null)
        {
            properties.Add((key, Quote(value)));
        }
    }

    private static bool IsPair(string value, int i) =>
        char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]);
}
