using System.Text;

namespace CanvasLearning.Canvas;

/// <summary>
/// Adds objects to a canvas by editing its text: every byte outside the insertions stays as it
/// was (BOM, line endings, indentation, key order, numbers, escapes, final newline). New objects
/// follow the style of their array's last object.
/// </summary>
internal static class CanvasEditor
{
    /// <summary>The edited text (without BOM), or null when the layout leaves no safe place to insert (then the full rewrite is used).</summary>
    public static byte[]? Insert(ReadOnlySpan<byte> text, CanvasSourceMap map, IReadOnlyList<CanvasNode> nodes, IReadOnlyList<CanvasEdge> edges)
    {
        var newline = CanvasLayout.Newline(text);
        var nodeStyle = map.NodeSpans.Count > 0 ? CanvasLayout.StyleOf(text, map.NodeSpans[^1], newline, map.NodeKeysSorted) : null;
        var edgeStyle = map.EdgeSpans.Count > 0 ? CanvasLayout.StyleOf(text, map.EdgeSpans[^1], newline, map.EdgeKeysSorted) : null;
        var edits = new List<(int Start, int End, string Text)>(2);
        if (nodes.Count > 0
            && !TryAppend(text, map.NodesArray, map.NodeSpans, nodes.Select(CanvasJsonText.NodeProperties).ToArray(), nodeStyle, edgeStyle, map.NodeSpans.Count > 0 ? map.NodeKeysSorted : map.EdgeKeysSorted, newline, edits))
        {
            return null;
        }

        if (edges.Count > 0
            && !TryAppend(text, map.EdgesArray, map.EdgeSpans, edges.Select(CanvasJsonText.EdgeProperties).ToArray(), edgeStyle, nodeStyle, map.EdgeSpans.Count > 0 ? map.EdgeKeysSorted : map.NodeKeysSorted, newline, edits))
        {
            return null;
        }

        edits.Sort((a, b) => a.Start.CompareTo(b.Start));
        var output = new MemoryStream(text.Length + edits.Sum(e => e.Text.Length * 3));
        var position = 0;
        foreach (var (start, end, inserted) in edits)
        {
            output.Write(text[position..start]);
            output.Write(Encoding.UTF8.GetBytes(inserted));
            position = end;
        }

        output.Write(text[position..]);
        return output.ToArray();
    }

    private static bool TryAppend(
        ReadOnlySpan<byte> text, TextSpan? array, List<TextSpan> items, IReadOnlyList<(string Key, string Json)>[] objects,
        ObjectStyle? own, ObjectStyle? sibling, bool sorted, string newline, List<(int, int, string)> edits)
    {
        if (array is not { } span)
        {
            // No array to add to: the full rewrite creates it.
            return false;
        }

        if (items.Count == 0)
        {
            var filled = CanvasLayout.FillEmptyArray(text, span, objects, sibling, sorted, newline);
            if (filled is null)
            {
                return false;
            }

            edits.Add((span.Start + 1, span.End - 1, filled));
            return true;
        }

        var prefix = CanvasLayout.ItemPrefix(text, span, items, newline);
        var builder = new StringBuilder();
        foreach (var properties in objects)
        {
            builder.Append(prefix).Append(CanvasJsonText.Object(properties, own!));
        }

        edits.Add((items[^1].End, items[^1].End, builder.ToString()));
        return true;
    }
}
