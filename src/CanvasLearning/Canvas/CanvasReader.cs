using System.Text;
using System.Text.Json;

namespace CanvasLearning.Canvas;

/// <summary>Where a JSON value lies in the canvas text: UTF-8 byte offsets, end exclusive, BOM excluded.</summary>
internal readonly record struct TextSpan(int Start, int End)
{
    public int Length => End - Start;
}

/// <summary>
/// The structure of a canvas file as one forward pass of <see cref="Utf8JsonReader"/> finds it: the
/// typed nodes and edges, and where each of their objects and the two arrays lie in the text, so an
/// edit can touch those bytes only. No JSON tree is built: memory stays near the file's size.
/// </summary>
internal sealed class CanvasSourceMap
{
    public required List<CanvasNode> Nodes { get; init; }

    /// <summary>The span of each node object, parallel to <see cref="Nodes"/>.</summary>
    public required List<TextSpan> NodeSpans { get; init; }

    public required List<CanvasEdge> Edges { get; init; }

    /// <summary>The span of every object in <c>edges</c>, also those without both ends (not in <see cref="Edges"/>).</summary>
    public required List<TextSpan> EdgeSpans { get; init; }

    /// <summary>From <c>[</c> to just after <c>]</c>; null when the file has no such array.</summary>
    public TextSpan? NodesArray { get; init; }

    public TextSpan? EdgesArray { get; init; }

    /// <summary>The root object, from <c>{</c> to just after <c>}</c>.</summary>
    public required TextSpan Root { get; init; }

    /// <summary>True when every node object with two or more keys lists them in ordinal order.</summary>
    public bool NodeKeysSorted { get; init; }

    public bool EdgeKeysSorted { get; init; }
}

internal static class CanvasReader
{
    private static readonly JsonReaderOptions Options = new()
    {
        // Trailing commas and comments come from hand edits; refusing them would help nobody.
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
        MaxDepth = 256,
    };

    /// <summary>Reads the canvas text (without BOM). Throws <see cref="CanvasFormatException"/> saying what is wrong.</summary>
    public static CanvasSourceMap Read(ReadOnlySpan<byte> utf8)
    {
        try
        {
            return ReadCore(utf8);
        }
        catch (JsonException ex)
        {
            throw new CanvasFormatException(
                $"The canvas is not valid JSON: {ex.Message} Re-save it from Obsidian or fix it by hand.", ex);
        }
        catch (InvalidOperationException ex)
        {
            // Utf8JsonReader reports text that is not UTF-8 this way when a string is read.
            throw new CanvasFormatException(
                $"The canvas is not valid UTF-8 JSON: {ex.Message} Re-save it from Obsidian as UTF-8.", ex);
        }
    }

    private static CanvasSourceMap ReadCore(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, Options);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new CanvasFormatException(
                "The canvas must be a JSON object with \"nodes\" and \"edges\" arrays, e.g. {\"nodes\":[],\"edges\":[]}.");
        }

        var rootStart = (int)reader.TokenStartIndex;
        var nodes = new List<CanvasNode>();
        var nodeSpans = new List<TextSpan>();
        var edges = new List<CanvasEdge>();
        var edgeSpans = new List<TextSpan>();
        TextSpan? nodesArray = null, edgesArray = null;
        // Sorted keys need evidence: an object of three or more keys, all in order.
        var (nodesSorted, edgesSorted) = (true, true);
        var (nodesEvidence, edgesEvidence) = (0, 0);
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = PropertyName(ref reader, names);
            reader.Read();
            if (name is "nodes" or "edges" && reader.TokenType == JsonTokenType.StartArray)
            {
                var isNodes = name == "nodes";
                var start = (int)reader.TokenStartIndex;
                var position = 0;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    position++;
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        if (isNodes)
                        {
                            throw new CanvasFormatException($"node #{position} is not an object; each node must look like {{\"id\": \"...\", \"type\": \"text\", ...}}.");
                        }

                        SkipChecked(ref reader);
                        continue;
                    }

                    var item = ReadItem(ref reader, utf8);
                    if (isNodes)
                    {
                        nodes.Add(item.ToNode(position));
                        nodeSpans.Add(item.Span);
                        nodesSorted &= item.KeysSorted;
                        nodesEvidence += item.KeyCount >= 3 ? 1 : 0;
                    }
                    else
                    {
                        edgeSpans.Add(item.Span);
                        edgesSorted &= item.KeysSorted;
                        edgesEvidence += item.KeyCount >= 3 ? 1 : 0;
                        if (item.ToEdge() is { } edge)
                        {
                            edges.Add(edge);
                        }
                    }
                }

                var span = new TextSpan(start, (int)reader.BytesConsumed);
                if (isNodes)
                {
                    nodesArray = span;
                }
                else
                {
                    edgesArray = span;
                }
            }
            else if (name is "nodes" or "edges" && reader.TokenType != JsonTokenType.Null)
            {
                throw new CanvasFormatException($"\"{name}\" must be an array of {(name == "nodes" ? "node" : "edge")} objects.");
            }
            else
            {
                SkipChecked(ref reader);
            }
        }

        var root = new TextSpan(rootStart, (int)reader.BytesConsumed);

        // Anything but whitespace and comments after the root object makes the reader throw here.
        while (reader.Read())
        {
        }

        return new CanvasSourceMap
        {
            Nodes = nodes,
            NodeSpans = nodeSpans,
            Edges = edges,
            EdgeSpans = edgeSpans,
            NodesArray = nodesArray,
            EdgesArray = edgesArray,
            Root = root,
            NodeKeysSorted = nodesSorted && nodesEvidence > 0,
            EdgeKeysSorted = edgesSorted && edgesEvidence > 0,
        };
    }

    /// <summary>
    /// Reads one object of <c>nodes</c> or <c>edges</c>, keeping the fields the typed view needs.
    /// Property names are compared as the bytes of the file, without making strings of them: on a
    /// canvas of 20,000 nodes that is most of the reading.
    /// </summary>
    private static Item ReadItem(ref Utf8JsonReader reader, ReadOnlySpan<byte> utf8)
    {
        var item = new Item { Start = (int)reader.TokenStartIndex };
        Span<(int Start, int Length)> seen = stackalloc (int, int)[16];
        List<string>? escapedNames = null;
        var count = 0;
        var previous = ReadOnlySpan<byte>.Empty;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            ReadOnlySpan<byte> name;
            if (reader.ValueIsEscaped || reader.HasValueSequence)
            {
                // Rare: "\u0069d" is "id". Compared as text, kept apart from the raw names.
                var text = reader.GetString()!;
                escapedNames ??= [];
                if (escapedNames.Contains(text))
                {
                    throw Duplicate(text);
                }

                escapedNames.Add(text);
                name = Encoding.UTF8.GetBytes(text);
            }
            else
            {
                name = reader.ValueSpan;
                var start = (int)reader.TokenStartIndex + 1;
                for (var i = 0; i < Math.Min(count, seen.Length); i++)
                {
                    if (utf8.Slice(seen[i].Start, seen[i].Length).SequenceEqual(name))
                    {
                        throw Duplicate(Encoding.UTF8.GetString(name));
                    }
                }

                if (count < seen.Length)
                {
                    seen[count] = (start, name.Length);
                }
                else
                {
                    // More keys than usual: fall back to strings for the check.
                    escapedNames ??= [];
                    var text = Encoding.UTF8.GetString(name);
                    if (escapedNames.Contains(text))
                    {
                        throw Duplicate(text);
                    }

                    escapedNames.Add(text);
                }

                count++;
            }

            // UTF-8 byte order is code point order: the same as comparing the names as text.
            item.KeysSorted &= previous.IsEmpty || previous.SequenceCompareTo(name) < 0;
            item.KeyCount++;
            previous = name;
            var field = Item.FieldOf(name);
            reader.Read();
            switch (reader.TokenType)
            {
                case JsonTokenType.String when field != Field.None:
                    item.SetString(field, reader.GetString()!);
                    break;
                case JsonTokenType.Number when field != Field.None:
                    item.SetNumber(field, reader.TryGetDouble(out var number) && double.IsFinite(number) ? number : 0, reader.ValueSpan);
                    break;
                default:
                    SkipChecked(ref reader);
                    break;
            }
        }

        item.End = (int)reader.BytesConsumed;
        return item;
    }

    /// <summary>
    /// How many objects the <c>nodes</c> and <c>edges</c> arrays hold, read without building
    /// anything: the check that an edited text is still a whole canvas.
    /// </summary>
    public static (int Nodes, int Edges)? CountItems(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8, Options);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            var (nodes, edges) = (0, 0);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isNodes = reader.ValueTextEquals("nodes"u8);
                var isEdges = !isNodes && reader.ValueTextEquals("edges"u8);
                reader.Read();
                if ((isNodes || isEdges) && reader.TokenType == JsonTokenType.StartArray)
                {
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        (nodes, edges) = reader.TokenType == JsonTokenType.StartObject ? (nodes + (isNodes ? 1 : 0), edges + (isEdges ? 1 : 0)) : (nodes, edges);
                        reader.Skip();
                    }
                }
                else
                {
                    reader.Skip();
                }
            }

            while (reader.Read())
            {
            }

            return (nodes, edges);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static CanvasFormatException Duplicate(string name) =>
        new($"The canvas is not valid JSON: the property \"{name}\" appears twice in one object. Remove one of them.");

    private static string PropertyName(ref Utf8JsonReader reader, HashSet<string> names)
    {
        var name = reader.GetString()!;

        // Which of two values is meant cannot be guessed, so a duplicate is refused.
        if (!names.Add(name))
        {
            throw Duplicate(name);
        }

        return name;
    }

    /// <summary>Skips the current value, refusing duplicate property names inside it.</summary>
    private static void SkipChecked(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.StartArray)
        {
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                SkipChecked(ref reader);
            }
        }
        else if (reader.TokenType == JsonTokenType.StartObject)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                PropertyName(ref reader, names);
                reader.Read();
                SkipChecked(ref reader);
            }
        }
    }

    private enum Field
    {
        None, Id, Type, Text, File, Subpath, Url, Label, Color, FromNode, ToNode, FromSide, ToSide, FromEnd, ToEnd, X, Y, Width, Height,
    }

    /// <summary>The fields of one node or edge object that the typed view reads; the rest stay in the text.</summary>
    private sealed class Item
    {
        private readonly string?[] _strings = new string?[(int)Field.ToEnd + 1];
        private double _x, _y, _width, _height;

        public int Start { get; init; }

        public int End { get; set; }

        public bool KeysSorted { get; set; } = true;

        public int KeyCount { get; set; }

        public TextSpan Span => new(Start, End);

        public static Field FieldOf(ReadOnlySpan<byte> name) => name switch
        {
            _ when name.SequenceEqual("id"u8) => Field.Id,
            _ when name.SequenceEqual("type"u8) => Field.Type,
            _ when name.SequenceEqual("text"u8) => Field.Text,
            _ when name.SequenceEqual("x"u8) => Field.X,
            _ when name.SequenceEqual("y"u8) => Field.Y,
            _ when name.SequenceEqual("width"u8) => Field.Width,
            _ when name.SequenceEqual("height"u8) => Field.Height,
            _ when name.SequenceEqual("color"u8) => Field.Color,
            _ when name.SequenceEqual("file"u8) => Field.File,
            _ when name.SequenceEqual("fromNode"u8) => Field.FromNode,
            _ when name.SequenceEqual("toNode"u8) => Field.ToNode,
            _ when name.SequenceEqual("fromSide"u8) => Field.FromSide,
            _ when name.SequenceEqual("toSide"u8) => Field.ToSide,
            _ when name.SequenceEqual("label"u8) => Field.Label,
            _ when name.SequenceEqual("subpath"u8) => Field.Subpath,
            _ when name.SequenceEqual("url"u8) => Field.Url,
            _ when name.SequenceEqual("fromEnd"u8) => Field.FromEnd,
            _ when name.SequenceEqual("toEnd"u8) => Field.ToEnd,
            _ => Field.None,
        };

        public void SetString(Field field, string value)
        {
            if (field <= Field.ToEnd)
            {
                _strings[(int)field] = value;
            }
        }

        // Geometry may be integer or fractional; missing or non-numeric reads as 0 (the text is kept as is).
        // Some tools write a color as a number; its text is what matters.
        public void SetNumber(Field field, double value, ReadOnlySpan<byte> raw)
        {
            switch (field)
            {
                case Field.X: _x = value; break;
                case Field.Y: _y = value; break;
                case Field.Width: _width = value; break;
                case Field.Height: _height = value; break;
                case Field.Color: _strings[(int)Field.Color] = Encoding.UTF8.GetString(raw); break;
                default: break;
            }
        }

        public CanvasNode ToNode(int position)
        {
            if (string.IsNullOrWhiteSpace(Str(Field.Id)))
            {
                throw new CanvasFormatException($"node #{position} has no id; every node needs a non-empty string \"id\".");
            }

            return new CanvasNode(Str(Field.Id)!, Str(Field.Type) ?? string.Empty, _x, _y, _width, _height, Str(Field.Color), Str(Field.Text), Str(Field.File))
            {
                Subpath = Str(Field.Subpath),
                Url = Str(Field.Url),
                Label = Str(Field.Label),
            };
        }

        /// <summary>An edge without both ends means nothing: it stays in the file but not in the view.</summary>
        public CanvasEdge? ToEdge() =>
            Str(Field.FromNode) is { } from && Str(Field.ToNode) is { } to
                ? new CanvasEdge(Str(Field.Id) ?? string.Empty, from, to, Str(Field.FromSide), Str(Field.ToSide), Str(Field.Label))
                {
                    FromEnd = Str(Field.FromEnd),
                    ToEnd = Str(Field.ToEnd),
                    Color = Str(Field.Color),
                }
                : null;

        private string? Str(Field field) => _strings[(int)field];
    }
}
