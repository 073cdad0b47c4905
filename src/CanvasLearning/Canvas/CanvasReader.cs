using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace CanvasLearning.Canvas;

internal static partial class CanvasReader
{
    private static readonly JsonReaderOptions Options = new()
    {
        // Trailing commas and comments come from hand edits; refusing them would help nobody.
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
        MaxDepth = 256,
    };

    /// <summary>
    /// Reads the canvas text (without BOM), and the nodes by id (the first node of an id, where ids
    /// repeat). Throws <see cref="CanvasFormatException"/> saying what is wrong.
    /// </summary>
    public static CanvasSourceMap Read(ReadOnlySpan<byte> utf8, out Dictionary<string, CanvasNode> nodesById)
    {
        try
        {
            (var map, nodesById) = ReadCore(utf8);
            return map;
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

    private static (CanvasSourceMap Map, Dictionary<string, CanvasNode> NodesById) ReadCore(ReadOnlySpan<byte> utf8)
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

        // One item read into again and again: its fields are copied into each node or edge.
        var item = new Item();

        // Made once the nodes are read: edges (after them, as Obsidian writes them) take their id strings from it.
        Dictionary<string, CanvasNode>? nodesById = null;
        Dictionary<string, CanvasNode>.AlternateLookup<ReadOnlySpan<char>>? ids = null;
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

                    ReadItem(ref reader, utf8, item, ids);
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
                    nodesById = ById(nodes);
                    ids = nodesById.GetAlternateLookup<ReadOnlySpan<char>>();
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

        var map = new CanvasSourceMap
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
        return (map, nodesById ?? ById(nodes));
    }

    /// <summary>The nodes by id; where ids repeat, the first node of an id.</summary>
    private static Dictionary<string, CanvasNode> ById(List<CanvasNode> nodes)
    {
        var byId = new Dictionary<string, CanvasNode>(nodes.Count, StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            byId.TryAdd(node.Id, node);
        }

        return byId;
    }

    /// <summary>
    /// Reads one object of <c>nodes</c> or <c>edges</c>, keeping the fields the typed view needs.
    /// Property names are compared as the bytes of the file, without making strings of them: on a
    /// canvas of 20,000 nodes that is most of the reading. An edge's ends are the id strings of the
    /// nodes read before it (<paramref name="ids"/>), not copies of them.
    /// </summary>
    private static void ReadItem(ref Utf8JsonReader reader, ReadOnlySpan<byte> utf8, Item item, Dictionary<string, CanvasNode>.AlternateLookup<ReadOnlySpan<char>>? ids)
    {
        item.Reset((int)reader.TokenStartIndex);
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
                case JsonTokenType.String when field is Field.FromNode or Field.ToNode:
                    item.SetString(field, (reader.ValueIsEscaped || reader.HasValueSequence || ids is not { } known ? null : KnownId(reader.ValueSpan, known)) ?? reader.GetString()!);
                    break;
                case JsonTokenType.String when field != Field.None:
                    item.SetString(field, (reader.ValueIsEscaped || reader.HasValueSequence ? null : Common(reader.ValueSpan)) ?? reader.GetString()!);
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
    }

    /// <summary>The id string of the node whose id is <paramref name="value"/> (valid UTF-8 only), or null.</summary>
    private static string? KnownId(ReadOnlySpan<byte> value, Dictionary<string, CanvasNode>.AlternateLookup<ReadOnlySpan<char>> ids)
    {
        if (value.Length > 128)
        {
            return null;
        }

        Span<char> id = stackalloc char[128];
        return Utf8.ToUtf16(value, id, out _, out var written, replaceInvalidSequences: false) == OperationStatus.Done
            && ids.TryGetValue(id[..written], out var actual, out _)
            ? actual
            : null;
    }

    /// <summary>The values most objects repeat (types, sides, ends, preset colors) as one string each, not one per object.</summary>
    private static string? Common(ReadOnlySpan<byte> value) => value switch
    {
        _ when value.SequenceEqual("text"u8) => CanvasNodeTypes.Text,
        _ when value.SequenceEqual("file"u8) => CanvasNodeTypes.File,
        _ when value.SequenceEqual("group"u8) => CanvasNodeTypes.Group,
        _ when value.SequenceEqual("link"u8) => CanvasNodeTypes.Link,
        _ when value.SequenceEqual("right"u8) => "right",
        _ when value.SequenceEqual("left"u8) => "left",
        _ when value.SequenceEqual("top"u8) => "top",
        _ when value.SequenceEqual("bottom"u8) => "bottom",
        _ when value.SequenceEqual("arrow"u8) => "arrow",
        _ when value.SequenceEqual("none"u8) => "none",
        [(byte)'1'] => "1",
        [(byte)'2'] => "2",
        [(byte)'3'] => "3",
        [(byte)'4'] => "4",
        [(byte)'5'] => "5",
        [(byte)'6'] => "6",
        _ => null,
    };
}
