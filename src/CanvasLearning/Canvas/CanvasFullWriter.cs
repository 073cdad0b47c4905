using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CanvasLearning.Canvas;

/// <summary>
/// The fallback when the text cannot be edited in place (no <c>nodes</c> or <c>edges</c> array,
/// comments inside an empty one): the whole document written again, correct and complete, with the
/// file's newline, indentation and final newline, nodes and edges one per line as Obsidian writes
/// them when it indents with tabs, and non-ASCII text as is.
/// </summary>
internal static class CanvasFullWriter
{
    public static byte[] Write(ReadOnlySpan<byte> text, IReadOnlyList<CanvasNode> nodes, IReadOnlyList<CanvasEdge> edges)
    {
        var root = (JsonObject)JsonNode.Parse(text, nodeOptions: null, new JsonDocumentOptions
        {
            AllowTrailingCommas = true,
            CommentHandling = JsonCommentHandling.Skip,
        })!;
        Append(root, "nodes", nodes.Select(n => CanvasJsonText.Object(CanvasJsonText.NodeProperties(n), ObjectStyle.OneLine("\n", false))));
        Append(root, "edges", edges.Select(e => CanvasJsonText.Object(CanvasJsonText.EdgeProperties(e), ObjectStyle.OneLine("\n", false))));

        var newline = CanvasLayout.Newline(text);
        var indent = DetectIndent(text);
        var writer = new Writer(newline, indent, Obsidian: indent == "\t");
        var builder = new StringBuilder(text.Length + 1024);
        writer.Value(builder, root, 0, compact: false);
        if (text.Length > 0 && text[^1] == '\n')
        {
            builder.Append(newline);
        }

        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    private static void Append(JsonObject root, string name, IEnumerable<string> objects)
    {
        var added = objects.ToList();
        if (added.Count == 0)
        {
            return;
        }

        if (root[name] is not JsonArray array)
        {
            array = [];
            root[name] = array;
        }

        foreach (var json in added)
        {
            array.Add(JsonNode.Parse(json));
        }
    }

    /// <summary>The whitespace before the first indented line; a tab when the file has none.</summary>
    private static string DetectIndent(ReadOnlySpan<byte> text)
    {
        var lf = text.IndexOf((byte)'\n');
        if (lf < 0)
        {
            return "\t";
        }

        var rest = text[(lf + 1)..];
        var end = rest.IndexOfAnyExcept((byte)' ', (byte)'\t');
        return end > 0 ? Encoding.ASCII.GetString(rest[..end]) : "\t";
    }

    private sealed record Writer(string Newline, string Indent, bool Obsidian)
    {
        public void Value(StringBuilder builder, JsonNode? node, int depth, bool compact)
        {
            switch (node)
            {
                case JsonObject obj:
                    Container(builder, '{', '}', obj.Select(p => ((string?)p.Key, p.Value)).ToList(), depth, compact, isArray: false);
                    break;
                case JsonArray array:
                    Container(builder, '[', ']', array.Select(v => ((string?)null, v)).ToList()!, depth, compact, isArray: true);
                    break;
                case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                    CanvasJsonText.AppendQuoted(builder, value.GetValue<string>());
                    break;
                case null:
                    builder.Append("null");
                    break;
                default:
                    // Numbers keep their own text (1.50, 1e3); true and false are what they are.
                    builder.Append(node.ToJsonString());
                    break;
            }
        }

        private void Container(StringBuilder builder, char open, char close, List<(string? Key, JsonNode? Value)> items, int depth, bool compact, bool isArray)
        {
            builder.Append(open);
            if (items.Count == 0)
            {
                builder.Append(close);
                return;
            }

            for (var i = 0; i < items.Count; i++)
            {
                builder.Append(i == 0 ? "" : ",");
                if (!compact)
                {
                    builder.Append(Newline).Append(string.Concat(Enumerable.Repeat(Indent, depth + 1)));
                }

                if (!isArray)
                {
                    CanvasJsonText.AppendQuoted(builder, items[i].Key!);
                    builder.Append(compact || Obsidian ? ":" : ": ");
                }

                // Obsidian writes each node and edge on one line, inside indented arrays.
                var childCompact = compact || (Obsidian && isArray && depth == 1);
                Value(builder, items[i].Value, depth + 1, childCompact);
            }

            if (!compact)
            {
                builder.Append(Newline).Append(string.Concat(Enumerable.Repeat(Indent, depth)));
            }

            builder.Append(close);
        }
    }
}
