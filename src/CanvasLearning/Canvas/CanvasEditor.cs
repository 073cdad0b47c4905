using System.Text;

namespace CanvasLearning.Canvas;

/// <summary>
/// Adds objects to a canvas by editing its text: every byte outside the insertions stays as it
/// was (BOM, line endings, indentation, key order, numbers, escapes, final newline). New objects
/// follow the style of their array's last object.
/// </summary>
internal static class CanvasEditor
{
    /// <summary>
    /// The edited text (without BOM) and where its objects now lie, or null when the layout leaves no
    /// safe place to insert (then the full rewrite is used). The spans are null when an empty array
    /// was filled: whoever needs them reads the text again.
    /// </summary>
    public static EditedText? Insert(ReadOnlySpan<byte> text, CanvasSourceMap map, IReadOnlyList<CanvasNode> nodes, IReadOnlyList<CanvasEdge> edges)
    {
        var newline = CanvasLayout.Newline(text);
        var nodeStyle = map.NodeSpans.Count > 0 ? CanvasLayout.StyleOf(text, map.NodeSpans[^1], newline, map.NodeKeysSorted) : null;
        var edgeStyle = map.EdgeSpans.Count > 0 ? CanvasLayout.StyleOf(text, map.EdgeSpans[^1], newline, map.EdgeKeysSorted) : null;
        var edits = new List<Edit>(2);
        if (nodes.Count > 0
            && !TryAppend(text, map.NodesArray, map.NodeSpans, nodes.Select(CanvasJsonText.NodeProperties).ToArray(), nodeStyle, edgeStyle, map.NodeSpans.Count > 0 ? map.NodeKeysSorted : map.EdgeKeysSorted, newline, isNodes: true, edits))
        {
            return null;
        }

        if (edges.Count > 0
            && !TryAppend(text, map.EdgesArray, map.EdgeSpans, edges.Select(CanvasJsonText.EdgeProperties).ToArray(), edgeStyle, nodeStyle, map.EdgeSpans.Count > 0 ? map.EdgeKeysSorted : map.NodeKeysSorted, newline, isNodes: false, edits))
        {
            return null;
        }

        edits.Sort((a, b) => a.Start.CompareTo(b.Start));
        var output = new byte[text.Length + edits.Sum(e => e.Bytes.Length - (e.End - e.Start))];
        var (position, written) = (0, 0);
        foreach (var edit in edits)
        {
            text[position..edit.Start].CopyTo(output.AsSpan(written));
            written += edit.Start - position;
            edit.Bytes.CopyTo(output, written);
            written += edit.Bytes.Length;
            position = edit.End;
        }

        text[position..].CopyTo(output.AsSpan(written));
        var spans = Moved(map, edits);
        return ReadsBack(output, map, edits, spans) ? new EditedText(output, edits.Exists(e => e.Added is null) ? null : spans) : null;
    }

    /// <summary>
    /// The edit is kept only when each changed array still reads as an array with the objects it
    /// should hold. Only the bytes from the last old object (or the bracket of an empty array) to
    /// the closing bracket are read: everything else is the file's own text, which read well, and an
    /// array replaced by a valid array leaves the whole document valid.
    /// </summary>
    private static bool ReadsBack(byte[] output, CanvasSourceMap map, List<Edit> edits, EditedSpans spans)
    {
        foreach (var edit in edits)
        {
            var (array, items) = edit.IsNodes ? (spans.NodesArray!.Value, map.NodeSpans) : (spans.EdgesArray!.Value, map.EdgeSpans);
            var added = edit.IsNodes ? spans.NodeSpans.Count - map.NodeSpans.Count : spans.EdgeSpans.Count - map.EdgeSpans.Count;
            int? found;
            if (items.Count == 0)
            {
                found = CanvasReader.CountObjects(output.AsSpan(array.Start, array.Length));
            }
            else
            {
                var last = (edit.IsNodes ? spans.NodeSpans : spans.EdgeSpans)[items.Count - 1];
                found = CanvasReader.CountObjects([(byte)'[', .. output.AsSpan(last.Start, array.End - last.Start)]) - 1;
            }

            if (found != added)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The spans of the edited text: the old ones moved past the insertions before them, then those of the added objects.</summary>
    private static EditedSpans Moved(CanvasSourceMap map, List<Edit> edits)
    {
        // Where each insertion landed in the new text, and how far it moves what follows it.
        var landed = new int[edits.Count];
        var shift = new int[edits.Count];
        for (var (i, total) = (0, 0); i < edits.Count; i++)
        {
            landed[i] = edits[i].Start + total;
            total += edits[i].Bytes.Length - (edits[i].End - edits[i].Start);
            shift[i] = total;
        }

        // An offset moves by what was inserted strictly before it: the end of the object an
        // insertion follows stays put; the closing brackets and everything after move.
        int At(int offset)
        {
            var moved = offset;
            for (var i = 0; i < edits.Count && edits[i].Start < offset; i++)
            {
                moved = offset + shift[i];
            }

            return moved;
        }

        TextSpan Move(TextSpan span) => new(At(span.Start), At(span.End));

        List<TextSpan> Spans(List<TextSpan> old, bool isNodes)
        {
            var spans = new List<TextSpan>(old.Count + 16);
            spans.AddRange(old.Select(Move));
            for (var i = 0; i < edits.Count; i++)
            {
                if (edits[i].IsNodes == isNodes)
                {
                    // A filled empty array: only how many objects it holds is known (the caller reads the text again for where).
                    spans.AddRange(edits[i].Added?.Select(a => new TextSpan(landed[i] + a.Start, landed[i] + a.End))
                        ?? Enumerable.Repeat(default(TextSpan), edits[i].Count));
                }
            }

            return spans;
        }

        return new EditedSpans(
            Spans(map.NodeSpans, isNodes: true), Spans(map.EdgeSpans, isNodes: false),
            map.NodesArray is { } nodes ? Move(nodes) : null, map.EdgesArray is { } edges ? Move(edges) : null, Move(map.Root));
    }

    private static bool TryAppend(
        ReadOnlySpan<byte> text, TextSpan? array, List<TextSpan> items, IReadOnlyList<(string Key, string Json)>[] objects,
        ObjectStyle? own, ObjectStyle? sibling, bool sorted, string newline, bool isNodes, List<Edit> edits)
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

            edits.Add(new Edit(span.Start + 1, span.End - 1, Encoding.UTF8.GetBytes(filled), null, isNodes, objects.Length));
            return true;
        }

        var prefix = Encoding.UTF8.GetBytes(CanvasLayout.ItemPrefix(text, span, items, newline));
        var inserted = new List<byte>(objects.Length * 160);
        var added = new List<TextSpan>(objects.Length);
        foreach (var properties in objects)
        {
            inserted.AddRange(prefix);
            var start = inserted.Count;
            inserted.AddRange(Encoding.UTF8.GetBytes(CanvasJsonText.Object(properties, own!)));
            added.Add(new TextSpan(start, inserted.Count));
        }

        edits.Add(new Edit(items[^1].End, items[^1].End, [.. inserted], added, isNodes, objects.Length));
        return true;
    }

    /// <summary>
    /// Bytes from <paramref name="Start"/> to <paramref name="End"/> replaced by <paramref name="Bytes"/>, which hold
    /// <paramref name="Count"/> new objects; <paramref name="Added"/>: where they lie within them, when known.
    /// </summary>
    private sealed record Edit(int Start, int End, byte[] Bytes, List<TextSpan>? Added, bool IsNodes, int Count);
}

/// <param name="Spans">Where the objects lie in <paramref name="Text"/>; null when unknown without reading it again.</param>
internal sealed record EditedText(byte[] Text, EditedSpans? Spans);

/// <summary>The spans of <see cref="CanvasSourceMap"/> for an edited text, in the same order (the added objects last).</summary>
internal sealed record EditedSpans(List<TextSpan> NodeSpans, List<TextSpan> EdgeSpans, TextSpan? NodesArray, TextSpan? EdgesArray, TextSpan Root);
