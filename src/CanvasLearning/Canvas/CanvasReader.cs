using System.Globalization;
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

                    var item = ReadItem(ref reader);
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

    /// <summary>Reads one object of <c>nodes</c> or <c>edges</c>, keeping the fields the typed view needs.</summary>
    private static Item ReadItem(ref Utf8JsonReader reader)
    {
        var item = new Item { Start = (int)reader.TokenStartIndex };
        var names = new HashSet<string>(StringComparer.Ordinal);
        string? previous = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = PropertyName(ref reader, names);
            item.KeysSorted &= previous is null || string.CompareOrdinal(previous, name) < 0;
            item.KeyCount++;
            previous = name;
            reader.Read();
            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    item.Strings[name] = reader.GetString()!;
                    break;
                case JsonTokenType.Number:
                    item.Numbers[name] = reader.TryGetDouble(out var number) && double.IsFinite(number) ? number : 0;
                    item.NumberTexts[name] = Encoding.UTF8.GetString(reader.ValueSpan);
                    break;
                default:
                    SkipChecked(ref reader);
                    break;
            }
        }

        item.End = (int)reader.BytesConsumed;
        return item;
    }

    private static string PropertyName(ref Utf8JsonReader reader, HashSet<string> names)
    {
        var name = reader.GetString()!;

        // Which of two values is meant cannot be guessed, so a duplicate is refused.
        if (!names.Add(name))
        {
            throw new CanvasFormatException($"The canvas is not valid JSON: the property \"{name}\" appears twice in one object. Remove one of them.");
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

    private sealed class Item
    {
        public int Start { get; init; }

        public int End { get; set; }

        public bool KeysSorted { get; set; } = true;

        public int KeyCount { get; set; }

        public Dictionary<string, string> Strings { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, double> Numbers { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, string> NumberTexts { get; } = new(StringComparer.Ordinal);

        public TextSpan Span => new(Start, End);

        public CanvasNode ToNode(int position)
        {
            if (string.IsNullOrWhiteSpace(Str("id")))
            {
                throw new CanvasFormatException($"node #{position} has no id; every node needs a non-empty string \"id\".");
            }

            return new CanvasNode(Str("id")!, Str("type") ?? string.Empty, Num("x"), Num("y"), Num("width"), Num("height"),
                Color(), Str("text"), Str("file"))
            {
                Subpath = Str("subpath"),
                Url = Str("url"),
                Label = Str("label"),
            };
        }

        /// <summary>An edge without both ends means nothing: it stays in the file but not in the view.</summary>
        public CanvasEdge? ToEdge() =>
            Str("fromNode") is { } from && Str("toNode") is { } to
                ? new CanvasEdge(Str("id") ?? string.Empty, from, to, Str("fromSide"), Str("toSide"), Str("label"))
                {
                    FromEnd = Str("fromEnd"),
                    ToEnd = Str("toEnd"),
                    Color = Color(),
                }
                : null;

        private string? Str(string name) => Strings.GetValueOrDefault(name);

        // Geometry may be integer or fractional; missing or non-numeric reads as 0 (the text is kept as is).
        private double Num(string name) => Numbers.GetValueOrDefault(name);

        // Some tools write a color as a number; its text is what matters.
        private string? Color() => Str("color") ?? NumberTexts.GetValueOrDefault("color")?.ToString(CultureInfo.InvariantCulture);
    }
}
